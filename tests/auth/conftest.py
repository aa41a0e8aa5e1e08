from tests.support.oauth import app, http  # noqa: F401
