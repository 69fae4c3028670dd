"""A tooltip's glossary link, in the real browser: it can be reached and clicked, opens a new tab
on the About page with that entry on top, and the first tab keeps its page and settings."""

from playwright.sync_api import expect

from ui import glossary


def test_a_tooltip_link_opens_its_glossary_entry_in_a_new_tab(app):
    app.open(title="Train")
    page = app.page
    slider = page.get_by_test_id("stSlider").filter(
        has=page.get_by_test_id("stWidgetLabel").filter(has_text="Polynomial degree"))
    icon = slider.get_by_test_id("stTooltipHoverTarget").first
    icon.hover()
    tip = page.get_by_test_id("stTooltipContent")
    expect(tip).to_contain_text("Glossary (About page):")
    link = tip.get_by_role("link", name="Polynomial degree", exact=True)
    expect(link).to_have_attribute("href", "about?term=polynomial-degree")
    # Move from the icon onto the link as a hand would: the tooltip must stay open on the way.
    start, end = icon.bounding_box(), link.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    with page.context.expect_page() as opened:
        page.mouse.click(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2)
    about = opened.value
    expect(about.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
        "How logistic regression works")
    box = about.get_by_test_id("stAlert")
    expect(box).to_contain_text("Polynomial degree: " + glossary.definition("Polynomial degree"))
    assert page.url.endswith("/train")  # the first tab stays where it was
    expect(app.heading("Train")).to_be_visible()
