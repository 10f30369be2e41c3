# Run the R peers (ccmpp, befproj) on inputs written by bench/peers/compare.py and time them.
#
# Usage:
#   Rscript bench/peers/peers.R ccmpp   DIR   # DIR/dims.txt + float64 files -> DIR/out_c.bin, out_r.bin, timing.txt
#   Rscript bench/peers/peers.R befproj DIR   # DIR/dims.txt + float64 files -> DIR/out_bef.bin, comp_bef.bin, timing.txt
#   Rscript bench/peers/peers.R examples DIR  # the peers' own example data and results -> DIR/*.csv
#
# Binary files are little-endian float64 in NumPy C order; an array shaped (R, T, S, A) in
# Python is read here as an R array with dim c(A, S, T, R). Sex order is blilyst's: 1 = male,
# 2 = female. Only the calls to the peers are timed (proc.time elapsed), not the file I/O.
# This script calls the peers' exported functions; it contains no code taken from them.

suppressPackageStartupMessages({
  library(ccmpp)
  library(befproj)
})

args <- commandArgs(trailingOnly = TRUE)
mode <- args[[1]]
dir <- args[[2]]

read_dims <- function(dir) {
  kv <- read.table(file.path(dir, "dims.txt"), col.names = c("key", "value"), stringsAsFactors = FALSE)
  setNames(as.list(kv$value), kv$key)
}

read_bin <- function(dir, name, dim) {
  f <- file.path(dir, name)
  n <- prod(dim)
  x <- readBin(f, what = "double", n = n, size = 8, endian = "little")
  if (length(x) != n) stop(sprintf("%s: expected %d numbers, read %d", name, n, length(x)))
  array(x, dim = dim)
}

write_bin <- function(x, dir, name) {
  writeBin(as.double(x), file.path(dir, name), size = 8, endian = "little")
}

write_timing <- function(dir, timings) {
  writeLines(sprintf("%s %.6f", names(timings), unlist(timings)), file.path(dir, "timing.txt"))
}

# ---------------------------------------------------------------------------------------------
# ccmpp: two-sex female-dominant CCMPP with net migration as proportions (PHG 2001, ch. 6)
# ---------------------------------------------------------------------------------------------
run_ccmpp <- function(dir) {
  d <- read_dims(dir)
  R <- d$R; Tn <- d$T; A <- d$A; RS <- d$RS; n <- d$interval
  base <- read_bin(dir, "base.bin", c(A, 2, R))
  surv <- read_bin(dir, "surv.bin", c(A + 1, 2, Tn, RS))
  fert <- read_bin(dir, "fert.bin", c(A, Tn, R))
  mig <- read_bin(dir, "mig.bin", c(A, 2, Tn, R))
  srb <- matrix(d$srb, ncol = Tn)
  reps <- if (is.null(d$reps)) 1 else d$reps

  # Inputs in ccmpp's list-of-matrices layout, built before the clock starts
  inputs <- lapply(seq_len(R), function(r) {
    rs <- if (RS == 1) 1 else r
    list(
      base = list(female = matrix(base[, 2, r], ncol = 1), male = matrix(base[, 1, r], ncol = 1)),
      surv = list(female = matrix(surv[, 2, , rs], nrow = A + 1), male = matrix(surv[, 1, , rs], nrow = A + 1)),
      fert = matrix(fert[, , r], nrow = A),
      mig = list(female = matrix(mig[, 2, , r], nrow = A), male = matrix(mig[, 1, , r], nrow = A))
    )
  })

  project_all <- function(fun) {
    out <- array(0, dim = c(A, 2, Tn + 1, R))
    for (r in seq_len(R)) {
      x <- inputs[[r]]
      p <- fun(x$base, surv_props = x$surv, fert_rates = x$fert, srb = srb, mig_props = x$mig,
               proj_steps = Tn, age_int = n)
      out[, 1, , r] <- p$male
      out[, 2, , r] <- p$female
    }
    out
  }
  ccmpp_r2 <- function(...) ccmpp_r(..., return_list = TRUE)

  tc <- c(); tr <- c()
  for (i in seq_len(reps)) {
    t0 <- proc.time()[["elapsed"]]; out_c <- project_all(ccmpp); tc <- c(tc, proc.time()[["elapsed"]] - t0)
    t0 <- proc.time()[["elapsed"]]; out_r <- project_all(ccmpp_r2); tr <- c(tr, proc.time()[["elapsed"]] - t0)
  }
  write_bin(out_c, dir, "out_c.bin")
  write_bin(out_r, dir, "out_r.bin")
  write_timing(dir, list(ccmpp_c = min(tc), ccmpp_r = min(tr)))
}

# ---------------------------------------------------------------------------------------------
# befproj: annual single-year-of-age municipal model (Thuresson 2020, CRAN befproj 0.1.1)
# ---------------------------------------------------------------------------------------------
CATEGORIES <- c("asdr_men", "asdr_women", "asfr", "inmig.rates.men", "inmig.rates.women",
                "intermig.net.men", "intermig.net.women", "natpop.men", "natpop.women",
                "outmig.rates.men", "outmig.rates.women")

run_befproj <- function(dir) {
  d <- read_dims(dir)
  R <- d$R; Tn <- d$T; A <- 101  # befproj's inputs are ages 0..100
  start <- read_bin(dir, "start.bin", c(A, 2, R))
  q <- read_bin(dir, "q.bin", c(A, 2, Tn, R))           # probability of dying in the year, by age at 1 Jan
  asfr <- read_bin(dir, "asfr.bin", c(A, Tn, R))        # applied to women at year end, by age at 1 Jan
  inrate <- read_bin(dir, "inrate.bin", c(A, 2, Tn, R)) # in-migrants per person of the national population
  outrate <- read_bin(dir, "outrate.bin", c(A, 2, Tn, R))
  intnet <- read_bin(dir, "intnet.bin", c(A, 2, Tn, R)) # international net migrants (counts)
  natpop <- read_bin(dir, "natpop.bin", c(A, 2, Tn))
  reps <- if (is.null(d$reps)) 1 else d$reps

  cols <- paste0("ar_", seq_len(Tn))
  frames <- lapply(seq_len(R), function(r) {
    block <- function(m) { m <- matrix(m, nrow = A); colnames(m) <- cols; m }
    parts <- list(
      asdr_men = block(q[, 1, , r]), asdr_women = block(q[, 2, , r]), asfr = block(asfr[, , r]),
      inmig.rates.men = block(inrate[, 1, , r]), inmig.rates.women = block(inrate[, 2, , r]),
      intermig.net.men = block(intnet[, 1, , r]), intermig.net.women = block(intnet[, 2, , r]),
      natpop.men = block(natpop[, 1, ]), natpop.women = block(natpop[, 2, ]),
      outmig.rates.men = block(outrate[, 1, , r]), outmig.rates.women = block(outrate[, 2, , r])
    )
    assump <- do.call(rbind, lapply(CATEGORIES, function(k)
      data.frame(age = 0:(A - 1), category = k, parts[[k]], stringsAsFactors = FALSE)))
    assump$category <- factor(assump$category, levels = CATEGORIES)
    sp <- data.frame(age = 0:(A - 1), women = start[, 2, r], men = start[, 1, r])
    list(start = sp, assump = assump)
  })

  year0 <- if (is.null(d$year)) 2000 else d$year
  tb <- c()
  for (i in seq_len(reps)) {
    t0 <- proc.time()[["elapsed"]]
    raw <- lapply(frames, function(f) bef_raw(f$start, f$assump, year0))
    tb <- c(tb, proc.time()[["elapsed"]] - t0)
  }
  # bef_raw: one row per year and single age 0..100 (100 = 100+), men_2 and women_2
  out <- array(0, dim = c(A, 2, Tn + 1, R))
  for (r in seq_len(R)) {
    x <- raw[[r]]
    out[, 1, , r] <- matrix(x$men_2, nrow = A)
    out[, 2, , r] <- matrix(x$women_2, nrow = A)
  }
  write_bin(out, dir, "out_bef.bin")
  if (R <= 5) {
    comp <- lapply(frames, function(f) bef_components(f$start, f$assump, year0))
    write.csv(do.call(rbind, lapply(seq_along(comp), function(r) data.frame(region = r, year = rownames(comp[[r]]), comp[[r]]))),
              file.path(dir, "components_bef.csv"), row.names = FALSE)
  }
  write_timing(dir, list(befproj = min(tb)))
}

# ---------------------------------------------------------------------------------------------
# The peers' own example data and their results
# ---------------------------------------------------------------------------------------------
run_examples <- function(dir) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  # befproj: Umeå municipality 2019, the data shipped with the package
  write.csv(startpop_data, file.path(dir, "befproj_startpop.csv"), row.names = FALSE)
  write.csv(assump_data, file.path(dir, "befproj_assump.csv"), row.names = FALSE)
  raw <- bef_raw(startpop_data, assump_data, 2019)
  write.csv(raw[, c("year", "age.n", "men_2", "women_2")], file.path(dir, "befproj_raw.csv"), row.names = FALSE)
  comp <- bef_components(startpop_data, assump_data, 2019)
  write.csv(data.frame(year = rownames(comp), comp), file.path(dir, "befproj_components.csv"), row.names = FALSE)
  # ccmpp: Thailand example (the package's data set), projected with the C and R versions
  data("Thailand_demog", package = "ccmpp", envir = environment())
  th <- Thailand_demog
  A <- nrow(th$thai_base_pop_counts$female); Tn <- ncol(th$thai_fert_rates)
  long <- function(m, what) data.frame(what = what, row = rep(seq_len(nrow(m)), ncol(m)),
                                       col = rep(seq_len(ncol(m)), each = nrow(m)), value = as.vector(m))
  inputs <- rbind(
    long(as.matrix(th$thai_base_pop_counts$female), "base_female"),
    long(as.matrix(th$thai_base_pop_counts$male), "base_male"),
    long(th$thai_surv_props$female, "surv_female"), long(th$thai_surv_props$male, "surv_male"),
    long(th$thai_fert_rates, "fert"), long(matrix(th$thai_srb, nrow = 1), "srb"),
    long(th$thai_mig_props$female, "mig_female"), long(th$thai_mig_props$male, "mig_male"))
  write.csv(inputs, file.path(dir, "ccmpp_thailand_inputs.csv"), row.names = FALSE)
  pc <- ccmpp(th$thai_base_pop_counts, surv_props = th$thai_surv_props, fert_rates = th$thai_fert_rates,
              srb = th$thai_srb, mig_props = th$thai_mig_props)
  pr <- ccmpp_r(th$thai_base_pop_counts, surv_props = th$thai_surv_props, fert_rates = th$thai_fert_rates,
                srb = th$thai_srb, mig_props = th$thai_mig_props, return_list = TRUE)
  write.csv(rbind(long(pc$female, "c_female"), long(pc$male, "c_male"),
                  long(pr$female, "r_female"), long(pr$male, "r_male")),
            file.path(dir, "ccmpp_thailand_output.csv"), row.names = FALSE)
  writeLines(c(colnames(th$thai_fert_rates)), file.path(dir, "ccmpp_thailand_years.txt"))
}

switch(mode,
       ccmpp = run_ccmpp(dir),
       befproj = run_befproj(dir),
       examples = run_examples(dir),
       stop("mode must be ccmpp, befproj or examples"))
