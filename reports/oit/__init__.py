"""OIT readiness: each organisation's checklist of the year's OIT items, their evidence, links and
fiscal years, the predicted OIT score, and the public page that publishes them."""
