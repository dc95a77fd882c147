"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(subjects={"unit": "单位"})
