"""What the test accounts share."""

# The password make_user gives every account unless a test names another.
PASSWORD = "Passw0rd123"
