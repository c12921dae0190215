"""Model cards, the prepare step that materialises a servable folder, and (later) training code."""
