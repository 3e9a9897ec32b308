"""Pure SVG chart functions shared by the web panel and the PDF brief."""
