"""A talent's first visit in a real browser: register, log out, log in, switch to English, log out."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import RegistryEntry, User


@pytest.fixture
def registry_credential(homes):
    db.session.add(
        RegistryEntry(issuer="nanhai_kunpeng", number="NH2026777", holder_name="林晓南", valid_until=date(2030, 12, 31))
    )
    db.session.commit()
    return "nanhai_kunpeng", "NH2026777"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_register_login_switch_language_logout(open_page, screenshot, menu, registry_credential, viewport):
    page = open_page(viewport)
    email = f"lin.{viewport}@example.com"
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("荔南人才之家")
    screenshot(page, "1-home-zh")

    menu(page).get_by_role("link", name="注册", exact=True).first.click()
    expect(page.get_by_role("heading", name="注册")).to_be_visible()
    page.get_by_label("姓名", exact=True).fill("林晓南")
    page.get_by_label("电子邮箱", exact=True).fill(email)
    page.get_by_label("手机号码（选填）").fill("13800138000")
    page.get_by_label("密码", exact=True).fill("Talent2026ok")
    page.get_by_label("所属区").select_option("liwan")
    page.get_by_label("人才凭证", exact=True).select_option(registry_credential[0])
    page.get_by_label("凭证编号").fill(registry_credential[1].lower())
    page.get_by_label("我已阅读并同意隐私声明").check()
    screenshot(page, "2-register-zh")
    page.get_by_role("button", name="注册账号").click()

    expect(page.get_by_text("欢迎！您的凭证已通过认证，可以预约场地和报名活动了。")).to_be_visible()
    logout_zh = menu(page).get_by_role("button", name=re.compile("^退出登录"))
    expect(logout_zh).to_contain_text("林晓南")
    screenshot(page, "3-registered-zh")
    logout_zh.click()
    expect(page.get_by_text("您已退出登录。")).to_be_visible()

    menu(page).get_by_role("link", name="登录", exact=True).first.click()
    page.get_by_label("电子邮箱", exact=True).fill(email.upper())
    page.get_by_label("密码", exact=True).fill("Talent2026ok")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(menu(page).get_by_role("button", name=re.compile("^退出登录"))).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liwan–Nanhai Talent Home")
    screenshot(page, "4-home-en")
    page.get_by_role("link", name="Talent Home (Liwan)").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Opening hours").first).to_be_visible()
    screenshot(page, "5-home-liwan-en")

    menu(page).get_by_role("button", name=re.compile("^Log out")).click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    expect(menu(page).get_by_role("link", name="Log in", exact=True)).to_be_visible()
    screenshot(page, "6-logged-out-en")

    db.session.rollback()
    user = db.session.scalar(db.select(User).where(User.email == email))
    assert (user.talent_status, user.credential_issuer, user.locale) == ("verified", "nanhai_kunpeng", "en")
    db.session.rollback()
