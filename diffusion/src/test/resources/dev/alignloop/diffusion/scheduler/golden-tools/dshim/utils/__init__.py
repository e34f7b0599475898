import logging as _logging


class BaseOutput:
    pass


class PushToHubMixin:
    pass


def deprecate(*args, **kwargs):
    pass


class logging:
    @staticmethod
    def get_logger(name):
        return _logging.getLogger(name)
