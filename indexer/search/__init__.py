"""Query to plan to results: concepts, aliases, tiers, snippets, notices."""
