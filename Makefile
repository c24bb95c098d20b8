# The project's commands. `make lab` and `make test` are the two a learner needs.
.PHONY: lab setup test outputs bench e2e

lab:      ## set everything up (once) and open JupyterLab on the notebooks
	@tools/setup.sh --lab

setup:    ## set everything up without starting JupyterLab
	@tools/setup.sh

test:     ## run every test, the notebooks included
	@tools/test.sh

outputs:  ## re-execute the notebooks and save their outputs (after changing one)
	@tools/setup.sh && .venv/bin/python tools/nb.py write $(NB)

bench:    ## measure this crate against the book's NumPy code, side by side
	@tools/setup.sh && bench/compare.sh

e2e:      ## JupyterLab in headless Chromium: run a notebook, see its plot
	@tools/setup.sh && tools/e2e/run.sh $(NB)
