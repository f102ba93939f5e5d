# EVPPI of every single input, for every automate-or-not decision, by R's mgcv GAM: the regression the R packages
# voi and BCEA use (Strong, Oakley & Brennan 2014). Reads the draws dxmap voi --write-draws wrote, writes one row per
# decision and input. Usage: Rscript evppi_mgcv.R draws.csv out.csv
suppressPackageStartupMessages(library(mgcv))
args <- commandArgs(trailingOnly = TRUE)
draws <- read.csv(args[1], check.names = FALSE)
values <- grep("^npv:service:", names(draws), value = TRUE)   # the services, as dxmap voi decides by default
inputs <- grep("^(npv|programme|policy):", names(draws), value = TRUE, invert = TRUE)
inputs <- inputs[sapply(inputs, function(i) length(unique(draws[[i]])) > 1)]
rows <- list()
started <- proc.time()[["elapsed"]]
for (v in values) {
  nb <- draws[[v]]                      # automate: the NPV; do not: 0
  for (i in inputs) {
    x <- draws[[i]]
    # A penalised cubic regression spline, its smoothness by GCV (mgcv's default for gaussian data); an input with
    # few distinct values (a discrete adoption year) by its values' means, as dxmap does.
    fit <- if (length(unique(x)) <= 24) lm(nb ~ factor(x)) else gam(nb ~ s(x, bs = "cr"))
    f <- fitted(fit)
    rows[[length(rows) + 1]] <- data.frame(decision = sub("^npv:[a-z]+:", "", v), input = i,
                                           evppi = mean(pmax(0, f)) - max(0, mean(f)))
  }
}
out <- do.call(rbind, rows)
attr(out, "seconds") <- proc.time()[["elapsed"]] - started
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("%.3f\n", proc.time()[["elapsed"]] - started))
