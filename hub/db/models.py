"""Imports every table so that ``Base.metadata`` is complete (alembic and tests use this)."""

from hub.audit import models as _audit  # noqa: F401
from hub.clients import models as _clients  # noqa: F401
from hub.db.base import Base
from hub.domains.blacklist import models as _blacklist  # noqa: F401
from hub.domains.credit import models as _credit  # noqa: F401
from hub.domains.departments import models as _departments  # noqa: F401
from hub.domains.enterprises import models as _enterprises  # noqa: F401
from hub.domains.monitoring import models as _monitoring  # noqa: F401
from hub.domains.persons import models as _persons  # noqa: F401
from hub.domains.projects import models as _projects  # noqa: F401
from hub.domains.wages import models as _wages  # noqa: F401
from hub.jobs import models as _jobs  # noqa: F401
from hub.oauth2 import models as _oauth2  # noqa: F401
from hub.policy import models as _policy  # noqa: F401
from hub.push import models as _push  # noqa: F401

metadata = Base.metadata
