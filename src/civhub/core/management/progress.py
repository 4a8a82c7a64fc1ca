"""What the commands with progress bars (backup, restore, reindex) share."""

from django.core.management.base import OutputWrapper


class ProgressFile:
    """The file a tqdm bar writes to: tqdm redraws its line with carriage returns, so they
    are written past Django's OutputWrapper, which would end every write with a newline (and
    colour it on a terminal)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self.wrapper.flush()
