from .factories import communes, regulated_values  # noqa: F401
