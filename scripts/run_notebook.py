"""Executes one notebook with nbclient for `npm run lessons`.

On success it writes the executed notebook (atomically: a temporary sibling, then a rename),
signs it so Jupyter trusts its outputs on first open, and prints the lesson's key figures
(the `key figure: <name> = <value>` lines keyFigures() wrote). On a failing cell it prints the
cell and the library's own error message (not only nbclient's CellExecutionError) and leaves
the target untouched.

Usage: run_notebook.py NOTEBOOK OUTPUT [--kernel tslab] [--timeout 1800]
"""
import argparse
import os
import re
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.sign import NotebookNotary

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KEY_FIGURE = re.compile(r"^key figure: (.*)$", re.MULTILINE)


def plain(text):
    return ANSI.sub("", text)


class Client(NotebookClient):
    """Remembers which cell is running, to name the one that failed."""

    current = None

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current = cell_index
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def error_text(cell, error):
    """The library's message: tslab writes a failing cell's error to stderr, other kernels send an error output."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return "\n".join(plain(line) for line in output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}"
    stderr = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")
    if stderr.strip():
        lines = plain(stderr).rstrip().splitlines()
        frames = [i for i, line in enumerate(lines) if line.startswith("    at ")]
        # The message and the first frames say what and where; the kernel's own frames add nothing.
        return "\n".join(line for i, line in enumerate(lines) if i not in frames[3:])
    return plain(str(error))


def report_failure(nb, index, path, error):
    print(f"FAILED {path}", file=sys.stderr)
    if index is None:
        print(plain(str(error)), file=sys.stderr)
        return
    cell = nb.cells[index]
    source = cell.source.splitlines()
    shown = "\n".join(f"    {line}" for line in source[:8]) + ("\n    ..." if len(source) > 8 else "")
    print(f"  cell {index + 1}:\n{shown}", file=sys.stderr)
    print("  error:\n" + "\n".join(f"    {line}" for line in error_text(cell, error).splitlines()), file=sys.stderr)


def write_atomically(nb, target):
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            nbformat.write(nb, handle)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    # Relative paths in the lessons (../dist, data/) resolve from the notebook's own folder.
    cwd = os.path.dirname(os.path.abspath(args.notebook))
    client = Client(nb, kernel_name=args.kernel, timeout=args.timeout, resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        report_failure(nb, client.current, args.notebook, error)
        return 1
    NotebookNotary().sign(nb)
    write_atomically(nb, args.output)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                for figure in KEY_FIGURE.findall(plain(output.get("text", ""))):
                    print(f"   {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
