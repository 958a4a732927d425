"""Sphinx configuration of the course's website (`make site`, tools/build_site.py).

Sphinx + myst-nb + sphinx-book-theme: the notebooks as pages, with a sidebar, search,
previous/next links, Binder and Colab launch buttons, MathJax served by the site itself and
solutions folded. tools/build_site.py copies this folder and the executed notebooks into
build/site-src/ and runs sphinx-build there; the notebooks are never executed by Sphinx.

Why not Jupyter Book 2 / mystmd: `myst build --html` asks api.mystmd.org for its theme and
downloads it (a zip from GitHub, not an npm package) at build time, so it cannot build on a
machine that reaches only package registries (jupyter-book/mystmd#1451, open). Jupyter Book 1
is these same Sphinx packages behind older pins.
"""

project = "From one neuron to a CNN on the GPU"
author = "the course's authors"
copyright = "the course's authors (MIT licence)"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # tools/execute_all.py executed the notebooks once, for the decks too
nb_ipywidgets_js = {}  # the widget manager comes from a CDN; a static page has no kernel behind its widgets
nb_merge_streams = True
# A checker's verdict is display data with a course-specific type beside its text/plain line;
# the pages show the line, and Sphinx need not warn about the type it does not render.
suppress_warnings = ["mystnb.unknown_mime_type"]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# MathJax 3 from the site itself (tools/vendor_js.py copies it to _static/mathjax/): no CDN.
mathjax_path = "mathjax/tex-svg-full.js"
mathjax3_config = {"options": {"enableMenu": False}, "svg": {"fontCache": "global"}}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_theme_options = {
    # OWNER/REPO stands for the repository's GitHub owner and name until the course is
    # published, as in the README's Binder link; a fork changes these two lines.
    "repository_url": "https://github.com/OWNER/REPO",
    "repository_branch": "main",
    "path_to_docs": "",
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "use_repository_button": True,
    "use_download_button": True,
    "show_toc_level": 2,
}
