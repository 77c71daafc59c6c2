"""FranceConnect sign-in routes (mounted under /compte/franceconnect/)."""

app_name = "franceconnect"

urlpatterns: list = []
