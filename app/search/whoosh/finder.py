from app.search.whoosh.reference import find as find
