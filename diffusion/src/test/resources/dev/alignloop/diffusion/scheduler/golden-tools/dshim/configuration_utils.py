"""Just enough of diffusers' ConfigMixin for the scheduler modules: the init arguments become self.config."""
import functools, inspect
from types import SimpleNamespace


def register_to_config(init):
    @functools.wraps(init)
    def inner(self, *args, **kwargs):
        bound = inspect.signature(init).bind(self, *args, **kwargs)
        bound.apply_defaults()
        cfg = dict(bound.arguments)
        cfg.pop('self')
        self.config = SimpleNamespace(**cfg)
        init(self, *args, **kwargs)
    return inner


class ConfigMixin:
    def register_to_config(self, **kw):
        for k, v in kw.items():
            setattr(self.config, k, v)
