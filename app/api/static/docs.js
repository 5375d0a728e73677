// Draws the API reference from the OpenAPI document named by the page (no inline script: the CSP forbids it).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("api-reference");
  window.ui = SwaggerUIBundle({
    url: new URL(root.dataset.spec, window.location.href).href,
    domNode: root,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
