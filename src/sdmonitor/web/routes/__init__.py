"""The dashboard's routes, one ``APIRouter`` per concern (as the FastAPI template's ``api/routes/``):
``auth`` (login, logout, health), ``pages`` (every declared page), ``downloads`` (tables and report
editions) and ``admin`` (the user forms). ``web/app.py`` includes them; ``web/deps.py`` holds what they share.
"""
