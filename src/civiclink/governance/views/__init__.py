"""Views of the ELoGE benchmark, one module per stage of a campaign."""
