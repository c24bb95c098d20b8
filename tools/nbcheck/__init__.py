"""The notebook runner and checker behind tools/nb.py, one concern a module.

    repo      where things are (the repository, its notebooks, dlfs-plot's source), the
              kernelspec, and the small helpers every module reads notebooks with
    rust      Rust code cells split into code, comments and literals; `:command` lines
    figures   the figure types of dlfs-plot, read from its source, and their Debug text
    outputs   a notebook's outputs judged on their own (errors, panics, pictures)
    compare   outputs normalised and compared with the committed ones
    static    the committed files: their outputs, their paths, the README's pictures
    editions  the Chinese edition kept in step with the English one
    execute   notebooks executed in a fresh kernel, in a mirror of the repository

Each module imports only the ones listed above it, so there are no import cycles.
"""
