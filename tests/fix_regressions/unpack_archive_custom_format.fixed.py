# fix: PV716
"""A registered unpack format: `shutil` would pass `filter=` on to `unpack_egg`, which takes
none (`TypeError`). Only the tarfile call gets `filter="data"`."""

import shutil
import tarfile


def unpack_egg(filename, extract_dir):
    pass


shutil.register_unpack_format("egg", [".egg"], unpack_egg)


def unpack(path, destination):
    shutil.unpack_archive(path, destination)
    shutil.unpack_archive(path, destination, format="egg")
    with tarfile.open(path) as archive:
        archive.extractall(destination, filter="data")
