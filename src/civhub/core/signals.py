from typing import Any


def delete_attachment_file(sender: Any, instance: Any, **kwargs: Any) -> None:
    """However an attachment goes (a page, the admin, a cascade), its file goes with it."""
    instance.file.delete(save=False)
