"""Export adapter: the design brief (HTML, PDF, PNG) rendered from the same templates and charts as the page."""
