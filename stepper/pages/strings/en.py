"""English texts of the pages (the keys are the same in :mod:`stepper.pages.strings.fr`)."""

STRINGS: dict[str, str] = {
    # -- the language itself ---------------------------------------------------------------------
    "i18n.unknown": "Unknown language ?lang={value}: the choices are {choices}; the page is in "
                    "English.",
    "i18n.switch_title": "Show this page in English",

    # -- what every page says about J ------------------------------------------------------------
    "objective.lessons": "**Which J?** On this page the penalty leaves the intercept b out: "
                         "J(w) = (1/n) Σᵢ ℓᵢ(w) + λ₁ R₁(w₁, …, w_d) + (λ₂/2)(w₁² + … + w_d²). "
                         "The exercises and their grader penalize every coordinate, b included.",
    "objective.lessons_unpenalized": "**Which J?** This page runs without a penalty (λ = 0): "
                                     "J(w) = (1/n) Σᵢ ℓᵢ(w), with ℓᵢ(w) = log(1 + exp(−yᵢ wᵀxᵢ)). "
                                     "Where a penalty is switched on, it leaves the intercept b "
                                     "out; the exercises and their grader penalize every "
                                     "coordinate, b included.",

    # -- questions -------------------------------------------------------------------------------
    "question.heading": "Predict first",
    "question.commit": "Commit to this answer",
    "question.reveal": "Reveal",
    "question.number_placeholder": "your estimate",
    "question.pick_first": "Choose an answer first.",
    "question.not_a_number": "{value!r} is not a number: type one, for example 12 or 0.5.",
    "question.committed": "Your answer: {answer}. The result is shown below.",
    "question.waiting": "Your answer: {answer}. Waiting for the instructor to reveal.",
    "question.right": "Right.",
    "question.wrong": "Not quite: the answer is {answer}.",
    "question.close": "Close enough: the answer is {answer}.",
    "question.far": "The answer is {answer} (you said {given}).",
    "question.counts": "Answers so far: {counts}",
    "question.count": "{count} chose {answer}",
    "question.no_answer": "no answer",
    "question.pending": "Your answer is locked; the result shows as soon as the page has "
                        "computed it.",
    "question.unavailable": "This answer could not be computed: {error}",

    # -- links ----------------------------------------------------------------------------------
    "link.index": "← Index",
    "link.lesson0": "Lesson 0",
    "link.lesson1": "Lesson 1",
    "link.lesson2": "Lesson 2",
    "link.next_lesson1": "Lesson 1 →",
    "link.next_lesson2": "Lesson 2 →",
    "link.next_lesson3": "Lesson 3 →",
    "link.next_lesson4": "Lesson 4 →",
    "link.exercise": "Exercises for this lesson: {name} (opens in JupyterLab)",

    # -- index ----------------------------------------------------------------------------------
    "index.title": "Distributed optimization with Apache Spark, step by step",
    "index.subtitle": "Take the optimizers that fit a model out of their black box — first on "
                      "one machine, then on a cluster.",
    "index.lesson0.title": "0. The environment and Spark basics",
    "index.lesson0.text": "Spark on this machine and its UI, the words of Spark; the churn data: "
                          "transformations versus actions, count, filter, map, the share of "
                          "churners, standardization by map + reduce, a seeded split.",
    "index.lesson0.note": "starts Spark (about 10 s)",
    "index.lesson1.title": "1. Gradient algorithms on one machine",
    "index.lesson1.text": "The logistic loss and its oracles, conditioning, Newton, gradient "
                          "descent with 1/L and the spectral step, momentum, Nesterov, ridge, "
                          "lasso (smooth and exact), elastic net, SGD and mini-batch, the "
                          "learning rate, decision boundary and confusion matrix — step by step.",
    "index.lesson1.note": "numpy only, no Spark",
    "index.lesson2.title": "2. Distributed gradient descent, step by step",
    "index.lesson2.text": "One iteration of map-reduce on Spark, phase by phase: broadcast, "
                          "per-partition gradients, the reduce tree, the barrier; partitions, "
                          "tree depth, mini-batch sampling; the churn data with the algorithm "
                          "of your choice.",
    "index.lesson2.note": "starts Spark (about 10 s)",
    "index.not_available": "(not available yet)",
    "index.exercises": "Exercises",
    "index.spark": "Spark",
    "index.credit_title": "Credits",
    "index.spark.not_installed": "not installed",
    "index.spark.running": "running now",
    "index.spark.stopped": "not running now: it starts with a lesson that uses Spark (0 or 2); "
                           "a second lesson open at the same time gets the next port (4041, …)",
    "index.spark.version": "Spark {version} (PySpark, local mode unless {variable} says "
                           "otherwise)",
    "index.spark.ui": "Spark UI:",
    "index.exercises.open": "open {folder}/ in JupyterLab",
    "index.exercises.text": "The exercises, editable in JupyterLab: {link}. Your notebooks are "
                            "saved in that folder; each task's {check} button (or {cell} cell) "
                            "gives its points.",
    "index.check_again": "Check the Spark UI again",
    "index.intro": "Each lesson is a page: read it top to bottom, answer the questions before "
                   "the page shows the result, press the buttons, move the sliders. In a room, "
                   "add `?present=1` to a lesson's address for the projector layout, and "
                   "`?lang=fr` for French. The exercises that go with the lessons are in the "
                   "`exercises/` folder (in French: `exercises/fr/`).",
    "index.credit": "Based on the workshop *« Optimisation distribuée avec Apache Spark »* by "
                    "**Yann Vernaz**, given at the Pau machine-learning meetup in 2017 "
                    "(labs 0–2 and the slides: machine-learning-pau/distributed-optimization).",

    # -- lesson 0 -------------------------------------------------------------------------------
    "lesson0.title": "Lesson 0 · The environment and Spark basics",
    "lesson0.subtitle": "The workshop's Lab 0: Spark on this machine and the churn data.",
    "lesson0.intro": "**What you will see.** Spark running on this machine, its web UI, and the "
                     "churn data handled with the RDD API: reading a file, transformations "
                     "versus actions, counting and filtering, standardizing the features with "
                     "one map and one reduce, and a reproducible train/test split. Each card "
                     "shows the code that ran and what it returned.",
    "lesson0.churn_data": "## The churn data\n\nA (synthetic) loyalty-card extract from a food "
                          "retailer: one row per client, the label `churn` (1 = the client "
                          "left) and {count} features: loyalty points earned "
                          "(`meanAcquiredPts`) and converted (`meanConvertedPts`), length of "
                          "the relationship in days (`relationLength`), visit frequency "
                          "(`meanFreq`) and its spread (`stdFreq`), articles per basket "
                          "(`meanArticle`) and their spread (`stdArticle`), amount per basket "
                          "(`meanAmount`) and its spread (`stdAmount`), number of visits "
                          "(`nbVisits`), days since the last visit (`lastTime`). See "
                          "`data/README.md` for how it was made.",
    "lesson0.prepare": "## Preparing the data for optimization\n\nGradient methods converge "
                       "much faster when the features have comparable scales: lesson 1 shows "
                       "why (the condition number of ∇²J). Each feature is centred and divided "
                       "by its standard deviation, computed on the cluster by map + reduce; a "
                       "constant 1 is put in front for the intercept. Finally the points are "
                       "split at random into a training set and a test set.",
    "lesson0.next": "**Next:** [Lesson 1 — gradient algorithms on one machine]"
                    "(01_gradient_methods.ipynb).",
    "lesson0.glossary.title": "## The words of Spark",
    "lesson0.glossary.driver": "**Driver**: the Python program (here, this page's kernel) that "
                               "builds the computation and collects the results.",
    "lesson0.glossary.executor": "**Executor**: a worker process (a JVM) that runs tasks; in "
                                 "local mode it is the driver's own JVM, with one slot per "
                                 "core.",
    "lesson0.glossary.partition": "**Partition**: one slice of an RDD's rows; each partition is "
                                  "processed by one task.",
    "lesson0.glossary.task": "**Task**: the work on one partition, sent to one executor slot.",
    "lesson0.glossary.stage": "**Stage**: the tasks that run without exchanging data, one per "
                              "partition; a shuffle ends a stage.",
    "lesson0.glossary.job": "**Job**: what one action (`count`, `reduce`, `collect` …) starts: "
                            "one or more stages.",
    "lesson0.glossary.shuffle": "**Shuffle**: rows or partial results redistributed between "
                                "executors (by key, or to combine partial sums); written and "
                                "read over the network.",
    "lesson0.glossary.broadcast": "**Broadcast**: a read-only value sent once to each executor "
                                  "(`sc.broadcast`) instead of with every task.",
    "lesson0.glossary.caption": "Spark's web UI showing one job (a `count` over {partitions} "
                                "partitions): one stage, {partitions} tasks. Open the UI "
                                "yourself from the link in the first card.",
    "lesson0.glossary.no_picture": "(The Spark UI picture is missing: run "
                                   "`python tools/spark_ui_screenshot.py` to make it.)",
    "lesson0.exercise": "00_spark_basics.ipynb",
    "lesson0.q.lazy.prompt": "`sc.textFile(path)` has returned. How many rows of the file has "
                             "Spark read so far?",
    "lesson0.q.lazy.none": "none",
    "lesson0.q.lazy.first": "the first partition's",
    "lesson0.q.lazy.all": "all of them",
    "lesson0.q.lazy.explain": "A transformation only records a recipe: `textFile` ran {jobs} "
                              "Spark jobs. Rows are read when an action (such as `count`) runs.",
    "lesson0.q.recount.prompt": "Without `cache()`, `points.count()` is called twice. How many "
                                "times is each row parsed?",
    "lesson0.q.recount.once": "once",
    "lesson0.q.recount.twice": "twice",
    "lesson0.q.recount.explain": "Each action recomputes the RDD from the file: {after_second} "
                                 "parses for {rows} rows after two counts; `cache()` keeps the "
                                 "parsed rows and stops this.",
    "lesson0.q.share.prompt": "What percentage of the clients churned?",
    "lesson0.q.share.explain": "{churners} of {rows} clients left: churners are rare, which "
                               "is why lesson 2 rebalances the classes.",

    # -- lesson 1 -------------------------------------------------------------------------------
    "lesson1.title": "Lesson 1 · Gradient algorithms on one machine",
    "lesson1.subtitle": "The workshop's Lab 1: logistic regression on 2-D data, numpy only (no "
                        "Spark on this page).",
    "lesson1.intro": "**What you will see.** How an optimizer fits a logistic regression, method "
                     "by method: the loss and its three *oracles* (J, ∇J, ∇²J), why standardized "
                     "features matter, Newton's method, gradient descent with the safe steps "
                     "1/L and 1/L_spec, momentum and Nesterov, the penalties (ridge, lasso, "
                     "elastic net), stochastic and mini-batch gradients, and what the step size "
                     "does. Everything runs here on one machine with numpy; lesson 2 runs the "
                     "same updates on Spark.",
    "lesson1.exercise": "01_oracles.ipynb",
    "lesson1.data": "## 1. The data\n\n1000 training rows and 300 test rows drawn from a linear "
                    "rule: x₁ ~ N(1, 2²), x₂ ~ N(4, 4²), v = 2 + 3·x₁ − x₂ + noise, label +1 "
                    "when σ(v) > ½ (else −1). The features are standardized with the training "
                    "set's means and deviations and a constant 1 is put in front, so the "
                    "weights are **w = (b, w₁, w₂)**.",
    "lesson1.oracles": "## 2. The logistic loss and its oracles\n\nWith labels yᵢ ∈ {{−1, +1}}, "
                       "the margin mᵢ = yᵢ wᵀxᵢ and the per-row loss ℓᵢ(w) = log(1 + exp(−mᵢ)):"
                       "\n\n* **J(w)** = (1/n) Σᵢ ℓᵢ(w) + λ₁ R₁(w) + (λ₂/2) ‖w‖²\n"
                       "* **∇J(w)** = (1/n) Σᵢ ∇ℓᵢ(w) + (penalty gradient), with "
                       "∇ℓᵢ(w) = −σ(−mᵢ) yᵢ xᵢ\n"
                       "* **∇²J(w)** = (1/n) Σᵢ σ(mᵢ) σ(−mᵢ) xᵢ xᵢᵀ + (penalty Hessian)\n\n"
                       "where σ(t) = 1 / (1 + e⁻ᵗ) and the penalties leave b out (‖w‖² means "
                       "w₁² + … + w_d²). The Hessian is positive semi-definite (every "
                       "σ(m)σ(−m) ≥ 0): the loss is **convex**, so any minimum is the global "
                       "one. An optimizer only ever *asks* these three questions about J, hence "
                       "the name *oracles*. Checking them against finite differences is the "
                       "first thing to do with hand-written oracles.",
    "lesson1.conditioning": "## Why standardize: the condition number\n\nGradient descent is "
                            "slow when J is a long narrow valley: the ratio κ = λmax / λmin of "
                            "∇²J's eigenvalues (the *condition number*) measures how narrow. At "
                            "w = 0, ∇²J(0) = ¼ XᵀX / n. On the raw features (x₁, x₂ with an "
                            "intercept) κ = **{raw:.1f}**; standardized, κ = **{standardized:.3f}**"
                            ". After {steps} iterations of gradient descent with each one's "
                            "spectral step 1/L_spec, J − J* is {gap_raw:.1e} on the raw "
                            "features and {gap_std:.1e} standardized.",
    "lesson1.newton": "## 3. Newton's method\n\nw ← w − [∇²J(w)]⁻¹ ∇J(w): a quadratic model of J "
                      "minimized exactly at every step. Close to the minimum the number of "
                      "correct digits doubles per iteration (look at ‖∇J‖ below), but each step "
                      "solves a d × d linear system: fine for d = 3, out of reach for millions "
                      "of weights.\n\n*Quasi-Newton* methods keep an approximation B of the "
                      "inverse Hessian instead, updated from s = w⁺ − w and "
                      "r = ∇J(w⁺) − ∇J(w) (BFGS, with ρ = 1 / rᵀs): "
                      "B⁺ = (I − ρ s rᵀ) B (I − ρ r sᵀ) + ρ s sᵀ. L-BFGS keeps only the last "
                      "few pairs (s, r).",
    "lesson1.methods": "## 4. Gradient methods, step by step\n\n"
                       "* **Gradient descent**: w ← w − η ∇J(w). With η = **1/L**, where "
                       "L = ¼·maxᵢ‖xᵢ‖² bounds the Lipschitz constant of ∇J of the loss alone, "
                       "J decreases at every step (whatever the data). With a penalty the "
                       "bound is L + λ₂ (ridge), plus λ₁ for the smooth lasso (the "
                       "pseudo-Huber's curvature is at most λ₁): the explorer's step is "
                       "1/(L + λ₂ + λ₁).\n"
                       "* **Momentum** (μ = 0.9): v ← μ v + η ∇J(w), w ← w − v — the steps "
                       "build up speed along directions that keep the same sign.\n"
                       "* **Nesterov** (μ = 0.9): the same, with the gradient taken where "
                       "momentum is about to carry us: ∇J(w − μ v).\n"
                       "* **SGD**: the gradient of one row drawn uniformly at random instead of "
                       "all n (n times cheaper, noisy).\n"
                       "* **Mini-batch**: the gradient over a random sample of rows. Three ways "
                       "of drawing it appear in this workshop: here, each row is kept with "
                       "probability 1 % (*Bernoulli sampling without replacement*, about 10 "
                       "rows, sometimes none: the step is then skipped); on Spark (lesson 2, "
                       "exercise 2.7) `RDD.sample(True, f)` draws each row a Poisson(f) number "
                       "of times (*with replacement*); the original Lab 1 took *exactly* 10 "
                       "rows.\n\n"
                       "**Try it.** Choose a method, a penalty and a step size (in multiples of "
                       "the safe step), then step through the 200 iterations: the loss, the "
                       "path of (w₁, w₂) on the contour of J, the decision boundary on the "
                       "test set and the confusion matrix follow the current iteration. Push "
                       "the step size to the right end to see a run that is **too fast**.",
    "lesson1.learning_rate": "## 5. The learning rate: too small, safe, spectral, too large\n\n"
                             "The same gradient descent from the same start with four step "
                             "sizes. The bound L = ¼·maxᵢ‖xᵢ‖² = {L:.3f} is safe but "
                             "pessimistic. For the logistic loss σ(m)σ(−m) ≤ ¼, with equality "
                             "at m = 0, so ∇²J(w) ≼ ∇²J(0) for every w: "
                             "**L_spec = λmax(∇²J(0)) = {spectral:.4f} is the exact global "
                             "(spectral) Lipschitz constant of ∇J**, and the step 1/L_spec is "
                             "just as safe as 1/L while {ratio:.1f} times larger. On Spark it "
                             "costs one d × d reduce of Σ xᵢxᵢᵀ (the engine's `lr=\"spectral\"`)."
                             " A step far too large overshoots: J jumps up and the iterates "
                             "bounce.",
    "lesson1.lr.small": "too small: η = 0.1/L",
    "lesson1.lr.safe": "safe: η = 1/L",
    "lesson1.lr.spectral": "spectral: η = 1/L_spec ≈ {ratio:.0f}/L",
    "lesson1.lr.large": "too large: η = 1000/L",
    "lesson1.comparison": "## 6. All the methods compared\n\n200 iterations of each method from "
                          "the same random start with the safe step (Newton: 12 steps, full "
                          "step). The vertical axis is the distance to the optimum, "
                          "J(w_k) − J*, in log scale: a straight line is *linear* convergence, "
                          "a curve that plunges is Newton's *quadratic* convergence, and the "
                          "stochastic methods stop improving at a noise floor set by the step "
                          "size.",
    "lesson1.regularization": "## 7. Ridge, lasso and elastic net\n\nThe penalty pulls the "
                              "weights w₁ … w_d towards 0 (the intercept b is not penalized): "
                              "ridge (λ₂/2)‖w‖² shrinks them all, elastic net uses both. As in "
                              "the workshop, the lasso λ₁‖w‖₁ is handled here through the "
                              "smooth pseudo-Huber approximation λ₁ Σ (√(1 + wᵢ²) − 1), whose "
                              "gradient is λ₁ wᵢ / √(1 + wᵢ²), so that Newton applies to every "
                              "problem. That smooth penalty never sets a weight exactly to 0: "
                              "near 0 it is ≈ λ₁wᵢ²/2, a ridge. The exact lasso needs the "
                              "**proximal** step (soft-thresholding, "
                              "prox(v)ᵢ = sign(vᵢ) max(|vᵢ| − ηλ₁, 0)): the table below runs "
                              "both on this data for growing λ₁.",
    "lesson1.lasso.caption": "Weights at the optimum: smooth pseudo-Huber (Newton) against the "
                             "exact L1 (proximal gradient); exact zeros in bold",
    "lesson1.lasso.lambda": "λ₁",
    "lesson1.lasso.smooth": "pseudo-Huber (w₁, w₂)",
    "lesson1.lasso.prox": "exact L1, prox (w₁, w₂)",
    "lesson1.tradeoffs": "## 8. Which method when?\n\n"
                         "| | precision | time per iteration | memory | online learning |\n"
                         "|---|---|---|---|---|\n"
                         "| **second order** (Newton) | very high, in few iterations | high: "
                         "O(n·d² + d³) | high: d × d Hessian | no |\n"
                         "| **batch** (GD, momentum, Nesterov) | high | O(n·d) | all the data "
                         "| no |\n"
                         "| **stochastic** (SGD) | low (noisy) | O(d) | one row | yes |\n"
                         "| **mini-batch** | medium | O(m·d) | m rows | yes |\n\n"
                         "Measured on this machine, for this data set:",
    "lesson1.advice": "**Advice from the workshop.** When the data fits in memory, use batch "
                      "methods (or L-BFGS, conjugate gradient); otherwise, mini-batch. Further "
                      "reading on adaptive steps: AdaGrad, RMSProp, Adam and AdaMax, Nadam, "
                      "Adadelta, kSGD.",
    "lesson1.next": "**Next:** [Lesson 2 — distributed gradient descent on Spark]"
                    "(02_distributed_gd.ipynb).",
    "lesson1.q.spectral.prompt": "How many times larger than the safe step 1/L is the spectral "
                                 "step 1/λmax(∇²J(0)) on this data?",
    "lesson1.q.spectral.explain": "L / L_spec = {L:.3f} / {spectral:.4f} = {ratio:.1f}: the "
                                  "bound ¼·maxᵢ‖xᵢ‖² uses the longest row, the spectral "
                                  "constant the data's actual spread.",
    "lesson1.q.condition.prompt": "On the raw features, how large is the condition number of "
                                  "∇²J(0) (standardized: about 1)?",
    "lesson1.q.condition.same": "about 1 as well",
    "lesson1.q.condition.ten": "about 10",
    "lesson1.q.condition.seventy": "about 70",
    "lesson1.q.condition.thousand": "about 1000",
    "lesson1.q.condition.explain": "κ = {raw:.1f} raw against {standardized:.3f} standardized: "
                                   "x₂'s spread (4) and the means far from 0 stretch the "
                                   "valley.",
    "lesson1.q.lasso.prompt": "With the smooth (pseudo-Huber) lasso and a large λ₁, does any "
                              "weight become exactly 0?",
    "lesson1.q.lasso.yes": "yes, some",
    "lesson1.q.lasso.no": "no, never exactly",
    "lesson1.q.lasso.explain": "The smooth penalty's gradient vanishes at 0, so it only shrinks;"
                               " the proximal step sets weights exactly to 0 ({zeros} zeros "
                               "in the table at the largest λ₁).",
    "lesson1.q.overshoot.prompt": "Gradient descent with η = 1000/L: what happens to J?",
    "lesson1.q.overshoot.fast": "it converges faster",
    "lesson1.q.overshoot.up": "J goes up: the iterates overshoot",
    "lesson1.q.overshoot.same": "nothing changes",
    "lesson1.q.overshoot.explain": "{verdict}",

    # -- lesson 2 -------------------------------------------------------------------------------
    "lesson2.title": "Lesson 2 · Distributed gradient descent, step by step",
    "lesson2.subtitle": "The workshop's Lab 2: the same gradient descent on Spark, "
                        "one phase at a time.",
    "lesson2.exercise": "02_distributed_gd.ipynb",
    "lesson2.intro": "One iteration of batch gradient descent on Spark is a **map-reduce**. The "
                     "rows are cut into *partitions*; the gradient of the logistic loss is a sum "
                     "over rows, so it is a sum over partitions:\n\n"
                     "∇J(w) = (1/n) Σₚ [ Σ~i∈p~ ∇ℓᵢ(w) ]  (the bracket is partition p's "
                     "task; this page has no penalty, λ = 0)\n\n"
                     "1. **broadcast**: the driver sends the current weights w to the tasks "
                     "(once per iteration);\n"
                     "2. **map**: each partition's task sums ∇ℓᵢ(w) over its own rows — in "
                     "parallel;\n"
                     "3. **reduce**: the partial sums are added up (`treeAggregate`: with "
                     "enough partitions, first in executor tasks after a shuffle, then on the "
                     "driver; with few partitions, all on the driver);\n"
                     "4. **update**: the driver divides by n and moves: w ← w − η ∇J(w).\n\n"
                     "Below, the workshop's 2-D data (1000 rows, y = ±1, features "
                     "standardized, an intercept) is cut into partitions and every phase of "
                     "every iteration is recorded as Spark ran it. Press **Step** (or →) to "
                     "walk through one iteration phase by phase; **Back** (←) replays "
                     "instantly.",
    "lesson2.views": "## Reading the views\n\n"
                     "* **Data flow** (top): the phase shown now is outlined in orange; the "
                     "sentence under it says what happens.\n"
                     "* **Contour**: the loss over (w₁, w₂) with the intercept at its optimum; "
                     "the star is w*. During *map*, each partition adds its arrow "
                     "−η ∇J_p(w)/n, tip to tail, in its own colour: the reduce is exactly the "
                     "sum of these arrows. At *update* the red arrow is the move the driver "
                     "makes (with momentum it is not just the sum).\n"
                     "* **Reduce tree**: the tree `treeAggregate` built for this number of "
                     "partitions and depth, recorded while Spark ran it, with each partial sum "
                     "of the loss Σ ℓᵢ. With 8 partitions and depth 2 the executors first "
                     "combine two groups of four (a shuffle), then the driver adds the two "
                     "results. With depth 1 every partial goes straight to the driver.\n"
                     "* **Task timeline**: when each partition's task ran, per executor slot "
                     "(in local mode the executor is the driver's JVM, with one slot per "
                     "core). The dashed red line is the **synchronization barrier**: the reduce "
                     "cannot finish before the last task, so the last task to finish sets the "
                     "pace of every iteration.\n"
                     "* **Loss**: J(w_k) for every recorded iteration; the red cursor is where "
                     "you are.\n\n"
                     "Change the **partitions**, the **tree depth** or the **algorithm** at any "
                     "iteration: the run continues from there with the new setting (later "
                     "iterations are recomputed).",
    "lesson2.partitioning": "## The same result whatever the partitioning\n\nAddition is "
                            "associative, so cutting the rows differently only changes *where* "
                            "the partial sums are added, not the sum: the weights agree to the "
                            "last few bits of floating point (the order of the additions "
                            "changes the rounding, about 10⁻¹⁶). The button runs 3 iterations "
                            "of gradient descent on 1, 3 and 8 partitions.",
    "lesson2.compare_button": "Compare 1, 3 and 8 partitions",
    "lesson2.comparing": "Running 3 iterations three times on Spark…",
    "lesson2.broadcast": "## How w reaches the tasks\n\nEvery iteration the tasks need the "
                         "current weights. The engine measures the payload (w, and what else "
                         "the method sends) and picks the way: a payload under {limit} bytes "
                         "rides **inside the task** (in its closure); Spark serializes the "
                         "closure once per stage as the stage's *task binary*, which it "
                         "broadcasts itself, so each executor fetches it once. A larger payload "
                         "goes through an explicit `sc.broadcast(payload)`, destroyed after the "
                         "step. Here the payload is **{bytes} bytes, sent {via}**: the "
                         "*broadcast* narration above says which way each iteration used. For "
                         "a model with millions of weights it is megabytes every iteration, "
                         "which is why a synchronous method is limited by communication as "
                         "much as by computation.",
    "lesson2.via.task": "inside the task",
    "lesson2.via.broadcast": "by sc.broadcast",
    "lesson2.via.none": "nowhere (a simulation on the driver)",
    "lesson2.minibatch": "## Mini-batch by sampling\n\nChoose the algorithm **mini-batch**: "
                         "each iteration every partition draws its share of a random sample "
                         "with Spark's `RDD.sample(True, fraction, seed)` (with replacement: "
                         "each row is drawn a Poisson(fraction) number of times) and sums the "
                         "gradient over the sample only (the *map* narration says how many rows "
                         "each partition used). The arithmetic of the gradient is O(md) instead "
                         "of O(nd), but the sampler still draws one random number per row, so "
                         "each task **still passes over its whole partition: O(n) per "
                         "iteration**. By default each task also computes the full objective "
                         "for the loss curve; switch **full objective** off to skip it: the "
                         "loss curve then shows the sample's estimate, labelled as such. The "
                         "path on the contour becomes noisy, and the job still has a barrier: "
                         "each iteration waits for every partition even when it sampled few "
                         "rows.",
    "lesson2.full_objective": "full objective",
    "lesson2.full_objective_help": "compute J over all rows in every task (off: the sample's "
                                   "estimate)",
    "lesson2.loss.full": "J(w_k) over all rows",
    "lesson2.loss.estimate": "sample's estimate of J(w_k) (full objective off)",
    "lesson2.barrier": "## The synchronization barrier\n\nSet **Slow task** to *partition 2 "
                       "takes +0.3 s* and step through an iteration: in the timeline every "
                       "other task is done long before partition 2, and the driver waits. On a "
                       "cluster, one slow or overloaded machine slows every iteration down "
                       "this way; asynchronous methods (Hogwild!, Niu et al. 2011; Downpour "
                       "SGD with a parameter server, Dean et al. 2012) give up the barrier, at "
                       "the price of gradients computed on stale weights.",
    "lesson2.churn": "## On the churn data: choose the algorithm, compare the runs\n\nThe "
                     "workshop's practical case: 20 000 clients of a retailer, {count} "
                     "features, the label *churn* (1 = left). Churners are rare, so the "
                     "classes are rebalanced as in the workshop: keep every churner and 10 % "
                     "of the others (stratified sampling), then standardize, add an "
                     "intercept and split 90 / 10. Choose the algorithm, then step: the run "
                     "uses 4 partitions and ridge λ₂ = 0.005 (on w₁ … w_d, not the intercept); "
                     "one click is one iteration. The bars are each partition's gradient for "
                     "the six weights with the largest gradient; the table is the test set's "
                     "confusion matrix at the current weights; the last figure compares the "
                     "loss curves of every run made so far.",
    "lesson2.churn_press": "Press Step below: the churn data is loaded on Spark at the first "
                           "step (about 10 s).",
    "lesson2.churn_info": "{rows} clients, {churners} churners ({share:.1f} %); after "
                          "rebalancing: {train} training rows, {test} test rows.",
    "lesson2.churn_algorithm": "algorithm",
    "lesson2.churn_runs_title": "Loss curves of the runs so far",
    "lesson2.churn_runs_empty": "No run yet: choose an algorithm and press Step.",
    "lesson2.remember": "## What to remember\n\n"
                        "* One iteration = one broadcast, one map over all partitions, one "
                        "reduce, one update on the driver: there is no all-to-all traffic, but "
                        "there is a barrier every iteration.\n"
                        "* The result does not depend on the partitioning; the time does (more "
                        "partitions: more parallelism, more tasks to schedule and more partial "
                        "sums to combine; `treeAggregate`'s depth decides where they are "
                        "combined).\n"
                        "* Full-batch steps cost O(nd) arithmetic per iteration; mini-batches "
                        "O(md) arithmetic, at the price of noise — and on Spark each "
                        "iteration still passes over every row (O(n)) to sample.",
    "lesson2.q.partitions.prompt": "3 iterations on 1, 3 and 8 partitions: how do the weights "
                                   "compare?",
    "lesson2.q.partitions.same": "the same, up to rounding (~10⁻¹⁶)",
    "lesson2.q.partitions.close": "close, about 1 % apart",
    "lesson2.q.partitions.different": "clearly different",
    "lesson2.q.partitions.explain": "The gradient is a sum; the partitioning only changes where "
                                    "the partial sums are added.",
    "lesson2.q.via.prompt": "How does w (3 numbers) reach the tasks in this page's runs?",
    "lesson2.q.via.task": "inside the task",
    "lesson2.q.via.broadcast": "by sc.broadcast",
    "lesson2.q.via.disk": "the executors read it from disk",
    "lesson2.q.via.explain": "The record says {via}: {bytes} bytes, far under the {limit}-byte "
                             "limit, so the weights ride in the task closure.",
    "lesson2.q.slow.prompt": "Partition 2 of 8 takes +0.3 s. How much longer does one "
                             "iteration take?",
    "lesson2.q.slow.none": "hardly longer: the other tasks carry on",
    "lesson2.q.slow.one": "about 0.3 s longer",
    "lesson2.q.slow.eight": "about 8 × 0.3 s longer",
    "lesson2.q.slow.explain": "The reduce waits for the last task (the barrier): one slow task "
                              "adds its delay once to each iteration.",
    "lesson2.q.minibatch.prompt": "With full objective on, are mini-batch tasks faster than "
                                  "gradient-descent tasks?",
    "lesson2.q.minibatch.yes": "yes, about n/m times faster",
    "lesson2.q.minibatch.no": "no, about as long",
    "lesson2.q.minibatch.explain": "Each task still scans its partition to sample and, with "
                                   "full objective on, computes J over every row too.",

    # -- the phases of an iteration (narration and readout) ----------------------------------
    "phase.start": "Nothing computed yet: w₀ is on the driver. Press Step.",
    "phase.start.label": "start",
    "phase.readout": "Iteration {iteration} · {label}",
    "phase.eta": " with η = {eta}",
    "phase.update": "The driver divides by n, adds the regularization and updates: {rule}{eta}. "
                    "J = {objective} at the weights sent.",
    "phase.update.estimate": "The driver divides by n, adds the regularization and updates: "
                             "{rule}{eta}. J ≈ {objective} (the sample's estimate) at the "
                             "weights sent.",
    "phase.update.local": "One machine: the gradient over all rows, then {rule}{eta}. "
                          "J = {objective}.",
    "phase.update.label": "update",
    "phase.broadcast.task": "The driver puts w ({bytes} bytes) inside the task: a payload this "
                            "small rides in the task closure, which Spark broadcasts once per "
                            "stage as the task binary; each of the {count} partitions' tasks "
                            "reads it.",
    "phase.broadcast.broadcast": "The driver sends w ({bytes} bytes) by sc.broadcast: each "
                                 "executor fetches it once for the {count} partitions' tasks; "
                                 "it is destroyed after the step.",
    "phase.broadcast.label": "broadcast",
    "phase.map": "Partition {partition} sums the loss and gradient over {sample} ({time} on "
                 "executor {executor}).",
    "phase.map.rows": "its {rows} rows",
    "phase.map.sample": "its sample of {used} of {rows} rows",
    "phase.map.label": "map: partition {partition} of {count}",
    "phase.reduce.flat": "The {count} partial sums are added up (treeAggregate).",
    "phase.reduce.driver": "The driver adds the last {inputs} partial sums it collected "
                           "(treeAggregate's final reduce).",
    "phase.reduce.shuffle": "A shuffle sends {inputs} partial sums to {groups} executor tasks, "
                            "which add them: fewer results reach the driver.",
    "phase.reduce.label": "reduce",
    "phase.reduce.level_label": "reduce: level {level} of {levels} ({where})",
    "phase.where.driver": "driver",
    "phase.where.executors": "executors",

    # -- the methods (keyed by the method value's name) ----------------------------------------
    "method.gd.label": "gradient descent",
    "method.gd.rule": "step against the gradient of the objective over all rows",
    "method.momentum.label": "momentum",
    "method.momentum.rule": "add the gradient step to a velocity that keeps μ of the last one, "
                            "then move",
    "method.nesterov.label": "Nesterov",
    "method.nesterov.rule": "take the gradient at the look-ahead point w − μv, then move as "
                            "momentum does",
    "method.sgd.label": "SGD",
    "method.sgd.rule": "step against the gradient of one random row",
    "method.minibatch.label": "mini-batch",
    "method.minibatch.rule": "step against the mean gradient of a random sample of rows",
    "method.newton.label": "Newton",
    "method.newton.rule": "solve H d = −∇J with the Hessian of all rows, then step along d",
    "method.lbfgs.label": "L-BFGS",
    "method.lbfgs.rule": "turn the gradient into a quasi-Newton direction with the last m "
                         "steps' curvature pairs, then search along it",
    "method.local_sgd.label": "local SGD (model averaging)",
    "method.local_sgd.rule": "each partition takes H steps on its own rows from w; the driver "
                             "averages the local models by rows",
    "method.admm.label": "consensus ADMM",
    "method.admm.rule": "each partition solves its own problem pulled towards z; the driver "
                        "averages, applies the penalty to get z, and updates the duals",
    "method.async_sgd.label": "asynchronous SGD (simulation)",
    "method.async_sgd.rule": "simulated workers send gradients computed at the weights they "
                             "last read; the parameter server applies each one when it arrives",
    "method.avg_newton.label": "averaged start + Newton",
    "method.avg_newton.rule": "each partition solves its own problem; the driver averages the "
                              "solutions, then takes global Newton steps",

    # -- controls and errors a page can show ----------------------------------------------------
    "view.loss.title": "Loss J(w_k) per iteration",
    "view.contour.title": "Loss contour: path of w, one arrow per partition",
    "view.bars.title": "Each partition's gradient ∇J_p / n",
    "lesson2.table.partitions": "partitions",
    "lesson2.table.objective": "J(w) at the last step",
    "lesson2.table.gap": "max |w − w(first row)|",
    "lesson2.table.time": "time",
    "control.step": "Step",
    "control.back": "Back",
    "control.play": "Play",
    "control.pause": "Pause",
    "control.reset": "Reset",
    "control.algorithm": "algorithm",
    "control.partitions": "partitions",
    "control.depth": "tree depth",
    "control.penalty": "penalty",
    "control.step_size": "step size",
    "control.phase_by_phase": "phase by phase",
    "control.slow_task": "slow task",
    "error.heading": "Something went wrong:",
    "error.heading_doing": "Something went wrong while {action}:",
    "error.still_works": "(the page still works)",
    "error.details": "details",
    "error.note": "Note:",
    "error.prefix": "Problem while {action}: {message}",
    "error.starting_spark": "Starting Spark and loading the data…",
    "url.reason.algorithm": "one of {choices}",
    "url.reason.penalty": "a penalty name such as ridge or lasso",
    "url.reason.lr": "a positive number or one of {rules}",
    "url.reason.positive": "a whole number ≥ 1",
    "url.reason.non_negative": "a whole number ≥ 0",
    "error.url_setting": "URL setting {setting}={value!r} ignored ({reason})",

    # -- a page's heavy parts (stepper.pages.kit.heavy_part) ------------------------------------
    "part.stop": "Stop",
    "part.running": "Running…",
    "part.running_what": "Running: {what}",
    "part.progress": "{done} of {total} runs done",
    "part.progress_what": "{done} of {total} runs done; running {what}",
    "part.done": "Done.",
    "part.stopped": "Stopped: what is shown was measured before the stop.",
    "part.waiting": "Waiting for the instructor's run…",
    "part.from_instructor": "From the instructor's run.",
    "part.busy": "Another run of this page is in progress: wait for it to finish, then press "
                 "again.",
    "part.failed": "The run stopped: {error}",

    # -- lesson 0's cards -------------------------------------------------------------------------
    "lesson0.card.spark.title": "1. Start Spark",
    "lesson0.card.spark.text": "A `SparkSession` on this machine (`local[*]`: one executor "
                               "thread per core). Its `SparkContext` `sc` creates RDDs.",
    "lesson0.card.spark.version": "Spark version",
    "lesson0.card.spark.master": "master",
    "lesson0.card.spark.cores": "default parallelism (cores)",
    "lesson0.card.spark.ui": "Spark UI",
    "lesson0.card.spark.result": "Open the Spark UI in another tab: every **action** below "
                                 "appears there as a job (tabs Jobs, Stages, Storage, "
                                 "Executors).",
    "lesson0.card.read.title": "2. Read the file",
    "lesson0.card.read.text": "`{file}`: one row per client, a header, then `clientId, churn` "
                              "and {count} features.",
    "lesson0.card.read.result": "`lines` is an RDD with {partitions} partitions. Spark jobs run "
                                "by this call: **{jobs}** — `textFile` is a **transformation**: "
                                "it only records what to do; no byte of the file has been read.",
    "lesson0.card.header.title": "3. Drop the header: first, then filter",
    "lesson0.card.header.text": "`first()` brings the first line to the driver; `filter` keeps "
                                "every other line.",
    "lesson0.card.header.result": "Header: {columns}. Spark jobs run: **{jobs}** — `first` is an "
                                  "**action** (it returns a value to the driver, so it runs a "
                                  "job); `filter` is a transformation.",
    "lesson0.card.lazy.title": "4. Transformations are lazy, actions run them",
    "lesson0.card.lazy.text": "`map` parses each line into a labelled point `(churn, features)`. "
                              "An *accumulator* counts the lines Spark actually parses:",
    "lesson0.card.lazy.moment": "moment",
    "lesson0.card.lazy.parsed": "rows parsed so far",
    "lesson0.card.lazy.why": "why",
    "lesson0.card.lazy.after_map": "after `map` (a transformation)",
    "lesson0.card.lazy.nothing": "nothing ran",
    "lesson0.card.lazy.after_count": "after the first `count()`",
    "lesson0.card.lazy.rows_parsed": "{rows} rows parsed",
    "lesson0.card.lazy.after_second": "after a second `count()`",
    "lesson0.card.lazy.again": "parsed all over again: an RDD is a recipe, not data",
    "lesson0.card.lazy.after_cache": "after `cache()` and two more counts",
    "lesson0.card.lazy.cached": "parsed once more, then read from memory",
    "lesson0.card.lazy.result": "Spark jobs run by this step: **{jobs}** (one per `count`). The "
                                "cached RDD is listed in the Spark UI's *Storage* tab.",
    "lesson0.card.share.title": "5. Count and filter: the share of churners",
    "lesson0.card.share.text": "Two actions on the cached points.",
    "lesson0.card.share.clients": "clients",
    "lesson0.card.share.churners": "churners",
    "lesson0.card.share.share": "share of churners",
    "lesson0.card.share.numpy": "numpy (whole file in memory)",
    "lesson0.card.share.result": "Only about one client in twenty churns: a classifier that "
                                 "always says “stays” is {always:.0f} % accurate and useless. "
                                 "Lesson 2 rebalances the classes.",
    "lesson0.card.recency.title": "6. Try it: filter on recency",
    "lesson0.card.recency.text": "Clients whose last visit is more than *d* days ago: how many, "
                                 "and how many of them churned? Each change runs a Spark job.",
    "lesson0.card.recency.days": "d (days)",
    "lesson0.card.recency.result": "**{clients}** clients last came more than {days} days ago; "
                                   "**{churners}** of them churned ({share}).",
    "lesson0.card.standardize.title": "7. Standardize with map + reduce",
    "lesson0.card.standardize.text": "One pass: each point becomes `(1, x, x²)`, the reduce adds "
                                     "them up into `(n, Σx, Σx²)`; then mean = Σx/n and "
                                     "std = √(Σx²/n − mean²). The driver keeps `mean` and `std`, "
                                     "and a second map rescales every point and puts the "
                                     "constant 1 (the intercept) in front:",
    "lesson0.card.standardize.mean": "mean",
    "lesson0.card.standardize.std": "std",
    "lesson0.card.standardize.mean_gap": "|Δ mean| vs numpy",
    "lesson0.card.standardize.std_gap": "|Δ std| vs numpy",
    "lesson0.card.standardize.feature": "feature",
    "lesson0.card.standardize.result": "After standardizing (intercept column first): largest "
                                       "|mean| {mean:.1e}, largest |std − 1| {std:.1e}. Why "
                                       "standardize? Features on the same scale make the loss "
                                       "round, and gradient descent fast.",
    "lesson0.card.split.title": "8. Split 70/30 with a seed",
    "lesson0.card.split.text": "`randomSplit` draws each point's side from a seeded generator: "
                               "the same seed gives the same split every time.",
    "lesson0.card.split.train_share": "train share",
    "lesson0.card.split.seed": "seed",
    "lesson0.card.split.again": "Split again",
    "lesson0.card.split.train_rows": "train rows",
    "lesson0.card.split.test_rows": "test rows",
    "lesson0.card.split.churners": "churners train / test",
    "lesson0.card.split.result": "The sizes are close to, not exactly, 70/30: each point is "
                                 "assigned at random. Press *Split again*: same seed, same "
                                 "counts.",
    "action.recency": "filtering on recency",
    "action.split": "splitting",
    "action.run": "computing the run",
    "action.comparison": "redrawing the comparison",
    "card.waiting": "waiting…",
    "page.waiting": "Waiting for",
    "page.preparing": "Preparing",

    # -- lesson 1's tables, verdicts and figures ----------------------------------------------
    "lesson1.penalty.none": "none",
    "lesson1.penalty.ridge": "ridge (λ₂ = 0.005)",
    "lesson1.penalty.lasso": "lasso (λ₁ = 0.01, smooth)",
    "lesson1.penalty.elastic net": "elastic net (λ₁ = 0.01, λ₂ = 0.005)",
    "lesson1.setting.sgd": " (one row per step)",
    "lesson1.setting.minibatch": " (≈ 10 rows per step)",
    "lesson1.waiting.data": "the data",
    "lesson1.waiting.oracles": "the oracles",
    "lesson1.waiting.newton": "Newton's iterations",
    "lesson1.waiting.explorer": "the step-by-step explorer",
    "lesson1.waiting.lr": "the learning-rate comparison",
    "lesson1.waiting.comparison": "the comparison of all methods",
    "lesson1.waiting.regularization": "the regularization tables",
    "lesson1.waiting.tradeoffs": "the trade-off table (with measurements)",
    "lesson1.verdict.diverged": "Diverged: the weights stopped being finite at iteration "
                                "{iteration}; the run stops there. Use a smaller step.",
    "lesson1.verdict.unstable": "Step too large: J went up to {top:.3g} (it started at "
                                "{first:.3g}); the iterates overshoot the minimum and bounce.",
    "lesson1.verdict.slow": "Slow: after {done} iterations J − J* = {gap:.2e}, still {left:.0f} % "
                            "of where it started.",
    "lesson1.verdict.ok": "Converging: J − J* = {gap:.2e} after {done} iterations.",
    "lesson1.oracles.quantity": "quantity",
    "lesson1.oracles.value": "value",
    "lesson1.oracles.says": "what it says",
    "lesson1.oracles.caption": "The oracles on the training data (no regularization)",
    "lesson1.oracles.j0": "log 2 = 0.693147: every σ is ½",
    "lesson1.oracles.grad0": "points away from the minimum",
    "lesson1.oracles.newton": "Newton, 30 steps",
    "lesson1.oracles.fd": "largest difference at a random w",
    "lesson1.oracles.condition": "condition number {kappa:.1f}",
    "lesson1.oracles.bound": "≥ λmax everywhere; step 1/L = {step:.3f} is safe, and the "
                             "spectral step 1/λmax(∇²J(0)) is just as safe and {ratio:.0f}× "
                             "larger",
    "lesson1.newton.caption": "Newton's method from w = 0: w ← w − [∇²J(w)]⁻¹ ∇J(w)",
    "lesson1.oracles.fd_gradient": "∇J vs finite differences",
    "lesson1.oracles.fd_hessian": "∇²J vs finite differences",
    "lesson1.oracles.eigen": "eigenvalues of ∇²J({at})",
    "lesson1.explorer.failed_on_purpose": "deliberate failure at iteration {iteration} "
                                          "(fail_on_step in the URL)",
    "lesson1.explorer.contour": "J(b*, w₁, w₂) and the path of (w₁, w₂)",
    "lesson1.tradeoff.newton": "Newton (2nd order)",
    "lesson1.tradeoff.batch": "batch GD, momentum, Nesterov",
    "lesson1.tradeoff.sgd": "stochastic (SGD)",
    "lesson1.tradeoff.minibatch": "mini-batch (m ≈ {m})",
    "lesson1.tradeoff.reached": "{gap} in {steps}",
    "lesson1.tradeoff.reached.nesterov": "{gap} (Nesterov) in {steps}",
    "lesson1.tradeoff.reached.noisy": "{gap} in {steps} (noisy)",
    "lesson1.tradeoff.memory.hessian": "all rows + the d×d Hessian",
    "lesson1.tradeoff.memory.all": "all rows",
    "lesson1.tradeoff.memory.one": "one row",
    "lesson1.tradeoff.memory.m": "m rows",
    "lesson1.tradeoff.yes": "yes",
    "lesson1.tradeoff.no": "no",
    "lesson1.tradeoff.method": "method",
    "lesson1.tradeoff.precision": "precision J − J* reached (iterations)",
    "lesson1.tradeoff.time": "time per iteration",
    "lesson1.tradeoff.measured": "measured here (n = {n}, d = {d})",
    "lesson1.tradeoff.memory": "memory per iteration",
    "lesson1.tradeoff.online": "online learning",
    "lesson1.tradeoff.caption": "Trade-offs (measured on this machine, so numbers vary a little)",
    "lesson1.label.sgd_momentum": "SGD + momentum",
    "lesson1.label.minibatch_momentum": "mini-batch + momentum",
    "lesson1.figure.label": "label {sign}",
    "lesson1.figure.data": "Training data: {rows} rows, {positives} labelled +1",
    "lesson1.figure.gap_title": "J(w_k) − J*  (log scale)",
    "lesson1.figure.iteration": "iteration k",
    "lesson1.figure.first30": "J(w_k), first 30 iterations",
    "lesson1.figure.gap200": "J(w_k) − J*, 200 iterations",
    "lesson1.figure.gap_log": "J − J* (log scale)",
    "lesson1.figure.all_methods": "All methods from the same random start, safe step "
                                  "(regularization: {penalty})",
    "lesson1.regularization.caption": "The penalty shrinks the weights (the intercept b is not "
                                      "penalized)",
    "lesson1.regularization.penalty": "regularization",
    "lesson1.regularization.train": "train accuracy",
    "lesson1.regularization.test": "test accuracy",
    "lesson1.explorer.step": "step η × safe step",
    "lesson1.explorer.seed": "start seed",
    "lesson1.explorer.full_step": "Newton takes the full step η = 1",
    "lesson1.explorer.status": "Iteration {k} of {last} · J(w_k) = {objective:.5f} · "
                               "J − J* = {gap:.1e} · test accuracy {accuracy:.1f} %",
    "lesson1.explorer.test_set": "Test set",
    "lesson1.explorer.following": "These settings follow the instructor's page.",
    "lesson1.explorer.bad_settings": "the instructor's settings could not be read ({problem}); "
                                     "the run shown stays",

    # -- lesson 2's settings --------------------------------------------------------------------
    "lesson2.setting.algorithm": "Algorithm",
    "lesson2.setting.lr": "Step size η",
    "lesson2.setting.partitions": "Partitions",
    "lesson2.setting.depth": "Tree depth",
    "lesson2.setting.batch_fraction": "Mini-batch fraction",
    "lesson2.setting.slow": "Slow task",
    "lesson2.setting.slow.none": "none",
    "lesson2.setting.slow.two": "partition 2 takes +0.3 s",
    "lesson2.setting.full_objective": "Full objective",
    "lesson2.setting.full_objective.on": "on: J over all rows",
    "lesson2.setting.full_objective.off": "off: the sample's estimate",
    "lesson2.confusion.title": "Test set (10 %)",
    "lesson2.confusion.churn": "churn",
    "lesson2.confusion.stays": "stays",

    # -- the control bar -------------------------------------------------------------------------
    "control.first": "« First",
    "control.first.tip": "First: iteration 0 (Home)",
    "control.back.tip": "Back one phase or iteration (←)",
    "control.step.tip": "Step: the next phase or iteration (→)",
    "control.last": "Last »",
    "control.last.tip": "Last recorded iteration (End)",
    "control.reset.tip": "Reset: start again, same seed (R)",
    "control.new_seed": "New seed",
    "control.new_seed.tip": "Start again with another seed",
    "control.help": "? Help",
    "control.help.text": "<div class=\"stepper-help-box\"><b>Keys</b>: <kbd>→</kbd> Step "
                         "&nbsp; <kbd>←</kbd> Back &nbsp; <kbd>Space</kbd> Play/Pause &nbsp; "
                         "<kbd>Home</kbd> First &nbsp; <kbd>End</kbd> Last &nbsp; <kbd>R</kbd> "
                         "Reset &nbsp; <kbd>?</kbd> this help.<br><b>Step</b> shows the next "
                         "phase (broadcast, each partition's map task, each reduce level, the "
                         "update); past the last recorded iteration it runs a new one on Spark. "
                         "<b>Back</b>, <b>First</b>, <b>Last</b> and the slider replay recorded "
                         "iterations instantly. <b>Reset</b> starts again with the same seed, "
                         "<b>New seed</b> with another one.</div>",
    "control.help.tip": "Keys and buttons (?)",
    "control.presenter": "Presenter",
    "control.presenter.tip": "Presenter mode: large text, fewer controls",
    "control.speed.slow": "slow",
    "control.speed.normal": "normal",
    "control.speed.fast": "fast",
    "control.speed.fastest": "fastest",
    "control.speed": "speed",
    "control.iteration": "Iteration",

    # -- the room (an instructor's page and the attendees' pages) --------------------------------
    "room.reveal_all": "Reveal for everyone",
    "room.reveal_all_tooltip": "Show the result and the answer on every attendee's page",
    "room.heading": "Room:",
    "room.setting_ignored": "address setting {setting}= ignored: {problem}",
    "room.both": "the address has both room= and follow=: this page follows",
    "room.error.bad_name": "the room's name is not valid: use 1 to 40 letters, digits, - or _",
    "room.error.bad_key": "the room's key is not valid: 4 to 64 letters, digits, - or _",
    "room.error.bad_server": "{value} is not a server address such as http://192.168.1.10:8888",
    "room.error.bad_session": "the room server refused this page's id; reload the page",
    "room.error.bad_role": "the room server was asked for a role it does not know; reload the "
                           "page",
    "room.error.no_room": "there is no room {name} on the server (yet): the instructor's page "
                          "opens it with ?room={name}; this page keeps asking",
    "room.error.room_taken": "the room {name} is already open on another page, which shows its "
                             "key: add &key=… to this page's address to take it over",
    "room.error.wrong_key": "wrong key for the room {name}: only the page holding its key "
                            "publishes",
    "room.error.taken_over": "another page took the room {name} over with its key; this page no "
                             "longer publishes",
    "room.error.too_many_rooms": "the room server has too many rooms open; close one and reload",
    "room.error.full": "the room {name} is full",
    "room.error.not_publisher": "only the page holding the room's key publishes; this page "
                                "follows",
    "room.error.malformed": "the room server refused a malformed message from this page (the "
                            "details are in the kernel's log)",
    "room.error.too_many_questions": "the room has too many questions; this answer was not "
                                     "counted",
    "room.error.too_many_records": "the room keeps at most 20 000 iterations; the later ones do "
                                   "not reach the attendees",
    "room.error.too_many_results": "the room keeps at most 100 results; this one does not reach "
                                   "the attendees",
    "room.error.unreachable": "cannot reach the room server at {server}; trying again",
    "room.error.lost": "the connection to the room {name} was lost; trying again",
    "room.error.malformed_received": "a malformed message from the room was ignored (the "
                                     "details are in the kernel's log)",
    "room.error.show_failed": "a message from the room could not be shown ({error}); the page "
                              "goes on",
    "room.error.unknown": "the room server reported a problem ({code}); the details are in the "
                          "kernel's log",
    "room.no_server": "no room server is known for this page: add &server=http://host:port "
                      "(the instructor's Jupyter server) to the address",
    "room.live": "● Live",
    "room.live_tooltip": "Back to the instructor's step",
    "room.instructor_closed": "the instructor's page has closed; you can still explore what it "
                              "showed, and it goes on here when the instructor comes back",
    "room.follow.waiting": "waiting for the instructor's first step",
    "room.follow.at": "the instructor is at iteration {iteration}",
    "room.follow.live": "**live**",
    "room.follow.exploring": "exploring on your own: press ● Live to catch up",
    "room.follow.closed": "instructor's page closed",
    "room.follow.bar": "Following room **{name}** · {at} · {where}",
    "room.lead.open": "attendees open `{address}`",
    "room.lead.add": "attendees add `?follow={name}` to this page's address",
    "room.lead.server_unknown": "`&server=` and this server's address",
    "room.lead.local": ", with this machine's network address instead of {host}",
    "room.lead.bar": "Room **{name}** · {follow} (on their own machine, add {own}) · "
                     "key `{room_key}` (reload with `&key={room_key}` to keep the room) · "
                     "{followers} following{counts}",

    # -- the views' diagrams and figures (drawn in the page's language) ------------------------
    "view.flow.label": "data flow of one iteration",
    "view.flow.driver": "Driver",
    "view.flow.driver.sub": "holds w",
    "view.flow.broadcast": "Broadcast",
    "view.flow.broadcast.sub": "w → executors",
    "view.flow.map": "Map",
    "view.flow.map.sub": "{count} partitions",
    "view.flow.map.one_machine": "one machine",
    "view.flow.reduce": "Reduce",
    "view.flow.reduce.sub": "treeAggregate",
    "view.flow.update": "Update",
    "view.flow.update.sub": "on the driver",
    "view.flow.loop": "the new w starts the next iteration",
    "view.tree.label": "reduce tree",
    "view.tree.title": "The reduce tree Spark built (partial sums Σℓ)",
    "view.tree.step_once": "Step once: the tree appears as recorded by treeAggregate's combine.",
    "view.tree.one_machine": "One machine: no partitions, no reduce tree.",
    "view.tree.driver": "driver",
    "view.tree.task": "task {number}",
    "view.tree.map": "map",
    "view.tree.output": "output",
    "view.tree.level": "level {level}",
    "view.tree.depth": "depth = {depth}, fan-in scale = {scale}",
    "view.timeline.label": "task timeline",
    "view.timeline.title": "Task timeline: the last task sets the pace",
    "view.timeline.step_once": "Step once: each task of the iteration appears here.",
    "view.timeline.last": "last",
    "view.timeline.driver": "driver",
    "view.timeline.reduce": "reduce",
    "view.timeline.update": "update",
    "view.timeline.barrier": "barrier at {ms} ms",
    "view.timeline.scale": "tasks to scale; after the barrier (scheduling, reduce, update) not "
                           "to scale",
    "view.confusion.test_set": "Test set",
    "view.confusion.waiting": "{title}: appears once the data is loaded.",
    "view.confusion.accuracy": "{title}: accuracy {accuracy} ({right} of {total})",
    "view.confusion.predicted": "predicted {label}",
    "view.confusion.true": "true {label}",
    "figure.loss.title": "Loss J(w) per iteration",
    "figure.iteration": "iteration k",
    "figure.contour.title": "Loss contour and the path of w",
    "figure.contour.zoom": "arrows × {factor} (to be seen)",
    "figure.boundary.title": "Data and decision boundary",
    "figure.boundary.x1": "x1 (standardized)",
    "figure.boundary.x2": "x2 (standardized)",
    "figure.bars.xlabel": "partition (and Σ)",

    # -- the player's and the app's status lines ------------------------------------------------
    "status.prefetch": "Spark is preparing iteration {iteration} ahead…",
    "status.queued.free": "Step queued: it runs once Spark is free…",
    "status.queued.starting": "Step queued: Spark is starting…",
    "status.working": "Spark is working…",
    "status.starting_again": "Starting again…",
    "status.starting_spark": "Starting Spark and loading the data (the JVM takes about 10 s)…",
    "status.starting_spark.short": "Starting Spark…",
    "status.drawing": "Drawing…",
    "status.computing": "Spark is computing iteration {iteration}…",
    "status.loading_first": "Loading the data on Spark first (the first time only)…",
    "status.link": "Link to this state:",
    "error.still_starting": "Spark is still starting: try again in a few seconds",
    "error.recorded_run": "this is a recorded run: there is nothing more to compute",
    "error.failed_on_purpose": "iteration {iteration} failed on purpose: the page address asked "
                               "for it (fail_on_step={wanted}). Press Step again to go on.",
    "error.url_settings_ignored": "URL settings ignored: {message}",

    # -- the engine's errors as a page shows them (keyed by exception type and parameter) ------
    "engine.divergence.driver": "iteration {iteration}: {quantity} is not finite on the driver; "
                                "the step was not applied (the weights stay at the last good "
                                "state). Try a smaller step size.",
    "engine.divergence.partition": "iteration {iteration}: {quantity} is not finite in partition "
                                   "{partition}; the step was not applied (the weights stay at "
                                   "the last good state). Try a smaller step size.",
    "engine.quantity.loss": "the partition's loss",
    "engine.quantity.gradient": "the partition's gradient",
    "engine.quantity.hessian": "the partition's Hessian",
    "engine.quantity.objective": "the objective",
    "engine.quantity.weights": "the weights after the update",
    "engine.config": "{parameter}={value} is not valid: {expected}",
    "engine.config.lr": "step size {value} is not valid: a positive number, '1/L', 'spectral', "
                        "'armijo' or 'wolfe'",
    "engine.config.lr.line_search": "step size {value} is not valid for {method}: a number, "
                                    "'1/L' or 'spectral' (a line search needs a full-batch "
                                    "method)",
    "engine.config.algorithm": "algorithm {value} is not valid: one of {choices}",
    "engine.config.partitions": "partitions={value} is not valid: a whole number ≥ 1",
    "engine.config.momentum": "momentum={value} is not valid: a number in [0, 1)",
    "engine.spark_failed": "Spark failed: {message}",
    "engine.spark_gone": "the Spark JVM stopped or cannot be reached",
    # -- lesson 3 ---------------------------------------------------------------------------------
    "index.lesson3.title": "3. What an iteration costs",
    "index.lesson3.text": "Where the time of one distributed iteration goes, measured live: "
                          "scheduling, the slowest task, the reduce, the bytes; stragglers, a "
                          "failed task retried, synchronous against asynchronous SGD.",
    "index.lesson3.note": "starts Spark (about 10 s); each sweep shows its progress while it runs",
    "link.lesson3": "Lesson 3",
    "lesson3.title": "Lesson 3 · What an iteration costs",
    "lesson3.subtitle": "Communication, stragglers, failures, synchronous against asynchronous "
                        "SGD: measured on this machine, now",
    "lesson3.exercise": "04_costs_and_synchrony.ipynb",
    "lesson3.intro": "Lesson 2 showed how one iteration flows. This page measures what it "
                     "**costs**, on generated data (each partition builds its own rows), from the "
                     "records its runs leave (Spark's, except in the simulation of part e):\n\n"
                     "T ≈ scheduling + slowest task + reduce + broadcast\n\n"
                     "Why care: a model trained at scale is a black box unless one can say what "
                     "it computed and how (the *right to explanation*); here every measured "
                     "number on the page comes from a run the page made, which you can run again. "
                     "Each part opens with a question: answer it, then run the part (the "
                     "instructor's page runs them for a room).",
    "lesson3.ui_waiting": "*The Spark UI link appears once Spark has started.*",
    "lesson3.ui_link": "This page's Spark (master `{master}`): its UI is at {link} — open "
                       "**Jobs**, pick one job of an iteration, and see its **stages** and "
                       "**tasks**: one task per partition, a second stage when "
                       "`treeAggregate` combines in executors.",
    "lesson3.section.stepper": "## The stepping run\n\nGradient descent on generated rows; "
                               "every task waits a seeded random delay (lognormal), so the "
                               "**task timeline** shows the barrier: the reduce starts when the "
                               "last task ends. Change the delay or the partitions in the "
                               "settings and Step again.",
    "lesson3.section.cost": "## a. The cost model of one iteration\n\n"
                            "The sweep runs gradient descent for each partition count and two "
                            "shapes of data with about the same number of values: many rows and "
                            "few features, few rows and many features. Each bar is one iteration "
                            "(the median of a few), split by the wall clock around `step()` and "
                            "the tasks' own start and end: broadcast, scheduling (before the "
                            "first task), slowest task, waiting (the rest of the time from the "
                            "first task's start to the last task's end: tasks queued behind "
                            "others when there are more partitions than cores, or launched later "
                            "than the first), reduce and driver update (after the last task). The "
                            "parts add up to the measured time.",
    "lesson3.section.bytes": "## b. Bytes per iteration\n\n"
                             "The driver sends w (8d bytes and some framing) and receives the "
                             "partial sums of the reduce tree's last level. At depth 1 every "
                             "partition's result reaches the driver; a deeper tree first combines "
                             "in executors (PySpark adds a level only when P is large enough for "
                             "the depth), and the driver receives one partial sum per group of "
                             "the last level. Each row of the table is one iteration's record, at "
                             "trace level `summary`: a partial sum carries its gradient, and only "
                             "the norms of the partitions' gradients for the record (at `full` "
                             "each partition's gradient would ride up the tree with it).",
    "lesson3.cards.parallelism": "### Data parallelism and model parallelism\n\n"
                                 "Everything here is **data parallelism**: the rows are split, "
                                 "every task holds all of w. When w itself does not fit in one "
                                 "machine (a model with billions of weights), w must be split "
                                 "too. With **parameter servers**, w is sharded over servers "
                                 "while the rows stay split: each task pulls the coordinates its "
                                 "rows touch and pushes their gradient back (Downpour SGD, "
                                 "TensorFlow's parameter servers), and the driver no longer sees "
                                 "the whole gradient. With **model parallelism**, the model's "
                                 "computation itself is cut: each machine holds a part of the "
                                 "model and computes that part for the same rows (DistBelief "
                                 "split a network across machines this way).",
    "lesson3.section.stragglers": "## c. Stragglers\n\n"
                                  "A synchronous iteration waits for its slowest task. Here each "
                                  "task waits a delay drawn from a lognormal (seeded: the same on "
                                  "every run); the sweep varies the number of partitions, each "
                                  "task's delay drawn from the same law.",
    "lesson3.cards.speculation": "### Mitigations\n\n"
                                 "* **More partitions than cores**: tasks run in waves, each core "
                                 "taking the next task as soon as it is free, so while a slow "
                                 "task holds one core the other cores take the remaining tasks. "
                                 "This helps when the slowness is in proportion to the work (a "
                                 "slow machine, a large partition): smaller tasks, smaller "
                                 "stragglers. It does not help against delays that do not shrink "
                                 "with the task, like the ones drawn above, and each task adds "
                                 "its fixed cost.\n* **Speculative execution** "
                                 "(`spark.speculation=true`): once `spark.speculation.quantile` "
                                 "of a stage's tasks have finished, a task running longer than "
                                 "`spark.speculation.multiplier` times their median gets a copy "
                                 "on another host (never one where it already runs), and Spark "
                                 "keeps whichever ends first. It helps against slow machines, not "
                                 "against a task that is slow wherever it runs; in local mode it "
                                 "does nothing.",
    "lesson3.section.failures": "## d. Failures\n\nOne task is made to fail once, in the "
                                "middle of iteration 2. This page's master allows retries "
                                "(`local[N,F]`: F attempts per task; a cluster retries by "
                                "itself). The same iterations run twice on the same rows, "
                                "without and with the failure.",
    "lesson3.cards.lineage": "### Lineage\n\n"
                             "Spark keeps, for every partition, the recipe that built it (here: "
                             "generate the partition's rows from the seed), its **lineage**. A "
                             "failed task is run again, and a lost partition recomputed from that "
                             "recipe, on any executor: a failure costs time, not a wrong number, "
                             "as long as the recipe is deterministic (here it is: the rows come "
                             "from a seed). Checkpointing cuts a long lineage (the partitions are "
                             "saved to reliable storage and the recipe forgotten); caching keeps "
                             "computed partitions in memory, so that they are seldom recomputed, "
                             "but keeps the recipe in case a cached copy is lost.",
    "lesson3.section.async": "## e. Synchronous against asynchronous SGD (simulated)\n\n"
                             "A simulation on the driver (numpy): W workers with random speeds "
                             "send gradients to a parameter server. **Synchronous**: each round "
                             "waits for all W, then averages. **Asynchronous**: each gradient is "
                             "applied as it arrives, computed on weights up to τ updates old (the "
                             "staleness; workers wait when needed to keep it within τ). The page "
                             "also searches, for each τ, the largest step that stays stable (J "
                             "still finite and below its start after a fixed number of updates). "
                             "Type other stalenesses (comma-separated) to try them.",
    "lesson3.cards.hogwild": "### Hogwild!\n\nHogwild! drops the server and the locks: threads "
                             "sharing memory write their sparse updates straight into w. When "
                             "each row touches few coordinates, two updates rarely collide, and "
                             "the staleness does little harm.",
    "lesson3.section.timed": "## f. A timed run of many iterations\n\n"
                             "The workshop timed many iterations of distributed gradient descent "
                             "in one go. Here the run keeps no per-task record (trace level "
                             "`none`) and is timed as a whole, against single steps with the full "
                             "record.",
    "lesson3.cards.big": "## The vocabulary of large systems\n\n"
                         "* **Big data, big models**: too many rows for one machine (split the "
                         "rows: data parallelism) or too many weights (split the model).\n"
                         "* **Scale up, scale out**: a bigger machine (more cores and memory, one "
                         "failure domain, a price that grows faster than the size) or more "
                         "machines (cheap, but every iteration pays the network and waits for the "
                         "slowest).\n* **Requirements** of a large system: *scalability* (twice "
                         "the machines handle about twice the work in the same time), *latency* "
                         "(the time of one answer or one iteration), *availability* (it keeps "
                         "working when machines fail) and *cost*.",
    "lesson3.cards.hdfs": "### Where the data lives on a cluster\n\n"
                          "On a cluster the rows usually sit in HDFS (or an object store): files "
                          "cut into large **blocks**, each **replicated** on several machines. "
                          "Reading such a file, Spark makes about one partition per block and "
                          "prefers to send each task to a machine that holds its block (**data "
                          "locality**: tasks go to the data, not the data to the tasks; it waits "
                          "a little, `spark.locality.wait`, for a free core there). On this page "
                          "the partitions build their own rows, which is data locality taken to "
                          "its limit.",
    "lesson3.cards.dag": "### Jobs, stages, tasks\n\nEach action (here: each iteration's "
                         "`treeAggregate`) is a **job**; a job is cut into **stages** at each "
                         "shuffle; a stage runs one **task** per partition. The Spark UI draws "
                         "this DAG for every job.",
    "lesson3.cards.mapreduce": "### The MapReduce view\n\n"
                               "One iteration is reduce(⊕) ∘ group ∘ map(f): map every row to its "
                               "gradient, group by key, add within groups. Here every row has the "
                               "same key (one gradient), so no rows are grouped or shuffled: each "
                               "task adds its own rows. At depth 1 the partial sums go straight "
                               "to the driver; deeper (when P is large enough for another level), "
                               "PySpark's `treeAggregate` keys each partial sum by its "
                               "partition's index (modulo the next level's width) and combines "
                               "them with `reduceByKey`, a shuffle of partial sums (d numbers "
                               "each, plus what the trace records), not of rows: the second stage "
                               "in the Spark UI.",
    "lesson3.cards.cluster": "### On a real cluster\n\n"
                             "This repository's `docker-compose.yml` starts a standalone Spark "
                             "cluster (a master and two workers) and the lessons server, whose "
                             "pages run on it (`STEPPER_MASTER=spark://master:7077`); without "
                             "Docker, `python -m stepper.cluster` starts a master and two workers "
                             "on this machine and prints the `STEPPER_MASTER` to set. There you "
                             "see tasks on several executors and retries; speculative copies "
                             "(`spark.speculation=true` in Spark's configuration) need workers on "
                             "different hosts, as the Compose cluster's are.",
    "lesson3.remember": "## What to remember\n\n"
                        "* An iteration costs scheduling + slowest task + reduce + broadcast: "
                        "more partitions buy parallelism until the fixed costs per task win.\n"
                        "* The driver receives the partial sums of the tree's last level: P, the "
                        "depth and d decide whether it becomes the bottleneck.\n"
                        "* A synchronous iteration waits for its slowest task; failures are "
                        "recomputed from lineage, at a cost in time only.\n"
                        "* Asynchronous updates remove the barrier but use stale gradients: the "
                        "step must shrink as the staleness grows.",
    "lesson3.sweep.run": "Run the sweep",
    "lesson3.bytes.run": "Measure the bytes",
    "lesson3.stragglers.run": "Run the straggler sweep",
    "lesson3.failure.run": "Fail a task",
    "lesson3.async.run": "Simulate",
    "lesson3.timed.run": "Time the run",
    "lesson3.setting.delay": "Task delays",
    "lesson3.setting.delay.lognormal": "lognormal, mean {mean} s",
    "lesson3.setting.delay.none": "none",
    "lesson3.setting.partitions": "Partitions",
    "lesson3.failure.partition": "Failing partition",
    "lesson3.async.stalenesses": "Stalenesses τ",
    "lesson3.async.placeholder": "e.g. 0, 4, 16",
    "lesson3.part.broadcast": "broadcast",
    "lesson3.part.scheduling": "scheduling",
    "lesson3.part.slowest": "slowest task",
    "lesson3.part.waiting": "tasks waiting for a core",
    "lesson3.part.reduce": "reduce",
    "lesson3.part.driver": "driver update",
    "lesson3.part.total": "measured time",
    "lesson3.shape.rows": "Many rows: {rows} × {features}",
    "lesson3.shape.features": "Many features: {rows} × {features}",
    "lesson3.shape.name.rows": "Many rows",
    "lesson3.shape.name.features": "Many features",
    "lesson3.axis.partitions": "partitions P",
    "lesson3.axis.seconds": "seconds",
    "lesson3.axis.bytes": "bytes per iteration",
    "lesson3.axis.clock": "simulated time",
    "lesson3.axis.updates": "updates applied",
    "lesson3.axis.stable": "largest stable step / (1/L)",
    "lesson3.sweep.result": "**{shape}**: fastest at P = {best} ({best_time:.3f} s per "
                            "iteration); P = {first}: {first_time:.3f} s, of which the "
                            "slowest task {first_slowest:.3f} s; P = {last}: "
                            "{last_time:.3f} s, of which {last_scheduling:.3f} s scheduling and "
                            "tasks waiting ({cores} cores).",
    "lesson3.bytes.col.features": "d",
    "lesson3.bytes.col.depth": "depth",
    "lesson3.bytes.col.broadcast": "broadcast (bytes)",
    "lesson3.bytes.col.via": "how",
    "lesson3.bytes.col.result": "one task's result (bytes, median)",
    "lesson3.bytes.col.arriving": "partials at the driver",
    "lesson3.bytes.col.to_driver": "bytes into the driver",
    "lesson3.via.task": "inside the task",
    "lesson3.via.broadcast": "sc.broadcast",
    "lesson3.via.none": "none",
    "lesson3.bytes.result": "At depth 1 and d = {features}, {to_driver} bytes reach the driver "
                            "each iteration from {partitions} partitions: about {per_feature:.0f} "
                            "bytes per feature. The driver's link carries them one after the "
                            "other: as P·8d grows, receiving them ends up taking longer than the "
                            "tasks; then the driver is the bottleneck, and a deeper tree (or "
                            "fewer, larger partitions) relieves it.",
    "lesson3.bytes.title": "What moves in one iteration ({partitions} partitions)",
    "lesson3.bytes.depth_line": "into the driver, depth {depth}",
    "lesson3.bytes.broadcast_line": "broadcast of w",
    "lesson3.stragglers.result": "With {first} partitions an iteration took {first_time:.3f} s; "
                                 "with {last}, {last_time:.3f} s. At {last} partitions the "
                                 "largest delay drawn was {largest:.3f} s on average and the "
                                 "delays, run in order on {cores} cores, end after "
                                 "{makespan:.3f} s: the iteration waits for that.",
    "lesson3.stragglers.title": "Iteration time against P, lognormal task delays",
    "lesson3.stragglers.time": "iteration time (measured)",
    "lesson3.stragglers.largest_delay": "largest delay drawn",
    "lesson3.stragglers.makespan": "delays on {cores} cores (makespan)",
    "lesson3.failure.attempt": "partition {partition}: attempt {attempt}",
    "lesson3.failure.result": "Iteration {iteration}'s record: {attempts}. Partition "
                              "{partition}'s task ran as attempt {attempt} on master "
                              "`{master}`; the weights after the run differ from the run "
                              "without a failure by at most {difference:.1e}.",
    "lesson3.async.sync": "synchronous",
    "lesson3.async.tau": "asynchronous, τ ≤ {tau}",
    "lesson3.async.by_time": "J against the simulated clock",
    "lesson3.async.by_updates": "J against updates",
    "lesson3.async.stable_title": "Largest stable step",
    "lesson3.async.stable_item": "τ = {tau}: {factor:.2f}/L",
    "lesson3.async.result": "{workers} simulated workers, step 1/L = {eta:.3g} for the curves. "
                            "Largest stable step found on the grid: {stable}.",
    "lesson3.timed.result": "{iterations} iterations with the lightest trace took {seconds:.2f} "
                            "s: {per_iteration:.3f} s each. One iteration with the full record "
                            "(what Step computes, before drawing it) took {stepping:.3f} s "
                            "(median of {stepped}): {ratio:.1f} times as long.",
    "lesson3.bad.partitions": "{partitions} partitions for {rows} rows: a partition would be "
                              "empty; choose at most {rows} partitions.",
    "lesson3.bad.failure_partition": "There is no partition {partition}: the partitions are "
                                     "numbered 0 to {last}.",
    "lesson3.failure.no_retry": "The master {master} does not retry a failed task, so this "
                                "page cannot show the retry here: open the page in a fresh "
                                "kernel (it then starts Spark on local[N,4]) or on a cluster.",
    "lesson3.bad.staleness": "A staleness of {staleness} is not possible in a run of {updates} "
                             "updates: choose τ from 0 to {updates} − 1.",
    "lesson3.bad.staleness_text": "'{value}' is not a list of whole numbers (e.g. 0, 4, 16).",
    "lesson3.q.sweep.prompt": "From 1 to many partitions (many rows), how does the time of one "
                              "iteration change on this machine?",
    "lesson3.q.sweep.falls": "it keeps falling",
    "lesson3.q.sweep.u": "it falls, then rises again",
    "lesson3.q.sweep.rises": "it only rises",
    "lesson3.q.sweep.explain": "Fastest at {best} partitions ({best_time:.3f} s) on {cores} "
                               "cores; {first} partitions: {first_time:.3f} s, {last}: "
                               "{last_time:.3f} s. More partitions split the work, but each task "
                               "adds a fixed cost (scheduling it, a partial sum to combine): the "
                               "fastest count is where the two balance, inside the range measured "
                               "or beyond it.",
    "lesson3.q.bytes.prompt": "At tree depth 1, d grows from the smallest to the largest value "
                              "measured. The bytes reaching the driver each iteration grow…",
    "lesson3.q.bytes.same": "hardly at all",
    "lesson3.q.bytes.linear": "about in proportion to d",
    "lesson3.q.bytes.square": "like d² or faster",
    "lesson3.q.bytes.explain": "From d = {small} to d = {large}: {small_bytes} → {large_bytes} "
                               "bytes, growth like d^{exponent:.2f}. Each partial sum is a "
                               "vector of d numbers plus a fixed framing, which dominates at "
                               "small d.",
    "lesson3.q.stragglers.prompt": "Each task waits a random delay. With more partitions (the "
                                   "same delay law per task), one iteration takes…",
    "lesson3.q.stragglers.shorter": "less time",
    "lesson3.q.stragglers.same": "about the same time",
    "lesson3.q.stragglers.longer": "more time",
    "lesson3.q.stragglers.explain": "{first} partitions: {first_time:.3f} s, {last} "
                                    "partitions: {last_time:.3f} s (× {ratio:.2f}). The "
                                    "iteration waits for the largest of more random delays, and "
                                    "beyond the cores the delays queue up.",
    "lesson3.q.failure.prompt": "One task fails once during an iteration. What happens to the "
                                "run?",
    "lesson3.q.failure.fails": "the iteration fails with an error",
    "lesson3.q.failure.retry_same": "Spark retries the task; the numbers are the same",
    "lesson3.q.failure.retry_different": "Spark retries the task; the numbers change slightly",
    "lesson3.q.failure.explain": "Partition {partition}'s task in iteration {iteration} ran "
                                 "again from the same rows (its lineage); the weights differ by "
                                 "{largest_difference:.1e} from the run without a failure.",
    "lesson3.q.async.prompt": "As the staleness τ grows, the largest step that stays stable "
                              "becomes…",
    "lesson3.q.async.smaller": "smaller",
    "lesson3.q.async.same": "about the same",
    "lesson3.q.async.larger": "larger",
    "lesson3.q.async.explain": "Measured: {first:.2f}/L at τ = {first_tau}, {last:.2f}/L at τ = "
                               "{last_tau}. A gradient computed up to τ updates ago can push past "
                               "the minimum, so the largest stable step shrinks as τ grows. The "
                               "theory, for a delay of exactly τ on a quadratic of curvature L: "
                               "steps below 2·sin(π/(4τ + 2))/L are stable, about π/(2τ)/L for "
                               "large τ, in proportion to 1/τ.",
    "lesson3.q.timed.prompt": "Is an iteration run in a loop with the lightest trace faster than "
                              "one iteration with the full record (what Step computes)?",
    "lesson3.q.timed.same": "about as fast",
    "lesson3.q.timed.little": "a little faster (less than twice)",
    "lesson3.q.timed.much": "more than twice as fast",
    "lesson3.q.timed.explain": "Measured: {per_iteration:.3f} s per iteration in the loop, "
                               "{stepping:.3f} s per iteration with the full record ({ratio:.1f} "
                               "×). A Spark job per iteration is the floor either way; the record "
                               "adds the tasks' details and the tree.",
    "lesson3.ui_off": "This page's Spark (master `{master}`) runs without its UI here.",
    "lesson3.sweep.partitions": "Partitions (optional)",
    "lesson3.sweep.placeholder": "e.g. 1, 2, 4, 8",
    "lesson3.bad.partitions_text": "'{value}' is not a list of partition counts ≥ 1 "
                                   "(e.g. 1, 2, 4, 8).",

    # -- lesson 4 ---------------------------------------------------------------------------------
    "index.lesson4.title": "4. Fewer rounds",
    "index.lesson4.text": "Methods compared by communication rounds and bytes on churn: GD, "
                          "Nesterov, Newton, L-BFGS, local SGD, ADMM; MLlib's own L-BFGS; "
                          "losses, history, adaptive methods.",
    "index.lesson4.note": "starts Spark; the comparisons run on demand",
    "link.lesson4": "Lesson 4",
    "lesson4.title": "Lesson 4 · Fewer rounds",
    "lesson4.subtitle": "On a cluster an iteration costs a round trip: count rounds and bytes, "
                        "not iterations.",
    "lesson4.exercise": "05_fewer_rounds.ipynb",
    "lesson4.intro": "Lesson 2 showed one round: the driver **broadcasts** w, every partition "
                     "computes, a **reduce** brings sums back. On a cluster each round waits "
                     "for the network and for the slowest task, so a method is judged by the "
                     "**rounds** (and **bytes**) it needs to reach J − J* ≤ ε, not by its "
                     "iterations. This page runs the engine's methods on the churn data "
                     "(lesson 2's preparation, λ₂ = 0.005) and on the 2-D data; every record "
                     "says how many rounds its iteration took and how many bytes went out and "
                     "came back. The buttons start the runs on Spark (a progress line shows "
                     "where they are; the page stays usable); in a room the instructor's page "
                     "runs them and every follower draws the same results.",
    "lesson4.minibatch_momentum": "mini-batch + momentum",
    "lesson4.axis.rounds": "communication rounds",
    "lesson4.axis.bytes": "bytes moved (broadcast + reduce)",
    "lesson4.axis.residuals": "residuals (r solid, s dashed)",
    "lesson4.axis.margin": "margin m = y·wᵀx",
    "lesson4.axis.iterations": "iterations k",
    "lesson4.figure.rounds": "J − J* against rounds",
    "lesson4.figure.bytes": "J − J* against bytes",
    "lesson4.figure.paths": "GD and L-BFGS from w = 0",
    "lesson4.split.iid": "rows split at random (IID)",
    "lesson4.split.non_iid": "rows grouped by label (non-IID)",
    "lesson4.loss.zero_one": "0-1: 1 if m ≤ 0",
    "lesson4.loss.hinge": "hinge: max(0, 1 − m)",
    "lesson4.loss.logistic": "logistic: log(1 + e⁻ᵐ) / log 2",
    "lesson4.loss.squares": "squares: (1 − m)²",
    "lesson4.run.rounds": "Run the six methods on Spark",
    "lesson4.run.mllib": "Fit MLlib's LogisticRegression",
    "lesson4.run.local_sgd": "Run the local SGD sweep",
    "lesson4.run.admm": "Run ADMM for each ρ",
    "lesson4.run.lasso": "Run ADMM with the lasso",
    "lesson4.run.four": "Run the four curves",
    "lesson4.loading_churn": "loading the churn data",
    "lesson4.input.local_steps": "Local steps H (up to 4, comma-separated)",
    "lesson4.input.rho": "Penalties ρ (up to 4, separated by spaces)",
    "lesson4.bad_local_steps": "H = {value} is not valid: a whole number from {low} to {high}.",
    "lesson4.bad_rho": "ρ = {value} is not valid: a positive number.",
    "lesson4.bad_count": "“{value}”: give one to four values.",
    "lesson4.not_reached": "not within {rounds}",
    "lesson4.col.method": "method",
    "lesson4.col.iterations": "iterations",
    "lesson4.col.rounds": "rounds",
    "lesson4.col.rounds_to": "rounds to J − J* ≤ {tolerance}",
    "lesson4.col.rate": "rate read off the curve",
    "lesson4.col.bytes_per_round": "bytes per round",
    "lesson4.col.seconds_per_round": "seconds per round (measured)",
    "lesson4.col.final_gap": "last J − J*",
    "lesson4.col.total_seconds": "total seconds = s/round × rounds",
    "lesson4.col.feature": "feature",
    "lesson4.col.ours": "ours (Newton, numpy)",
    "lesson4.col.split": "split",
    "lesson4.col.floor": "J − J* after {rounds} rounds",
    "lesson4.col.primal": "primal residual r",
    "lesson4.col.dual": "dual residual s",
    "lesson4.col.reference": "proximal gradient (numpy)",
    "lesson4.col.local": "work per partition and round",
    "lesson4.col.stragglers": "stragglers",
    "lesson4.col.non_iid": "non-IID data",
    "lesson4.rate.linear": "linear",
    "lesson4.rate.superlinear": "superlinear",
    "lesson4.rate.quadratic": "quadratic",
    "lesson4.rate.sublinear": "sublinear",
    "lesson4.rate.unknown": "too few points to tell",
    "lesson4.pairs.caption": "L-BFGS kept {kept} pairs (memory m = {memory}, newest last). From w "
                             "= 0, GD took {gd} steps and L-BFGS {lbfgs}; J(GD) − J(L-BFGS) at "
                             "the end: {gd_gap:.2e}.",
    "lesson4.mllib.caption": "MLlib ran {iterations} L-BFGS iterations; the largest difference "
                             "from our optimum is {gap:.1e}.",
    "lesson4.lasso.caption": "λ₁ = {l1:g}: ADMM's z has {zeros} exact zeros out of {penalized} "
                             "penalized weights (proximal gradient in numpy: {reference}).",
    "lesson4.summary.pending": "Run the comparisons above: the measured columns fill in.",
    "lesson4.summary.non_iid_measured": "Measured at H = {H}: J − J* = {iid:.1e} (IID) against "
                                        "{non_iid:.1e} (non-IID).",
    "lesson4.summary.gd.local": "one gradient pass",
    "lesson4.summary.gd.stragglers": "waits for the slowest task every round",
    "lesson4.summary.gd.non_iid": "none: the gradient is a sum",
    "lesson4.summary.nesterov.local": "one gradient pass",
    "lesson4.summary.nesterov.stragglers": "waits every round",
    "lesson4.summary.nesterov.non_iid": "none",
    "lesson4.summary.newton.local": "gradient and d × d Hessian pass",
    "lesson4.summary.newton.stragglers": "waits every round, few rounds",
    "lesson4.summary.newton.non_iid": "none",
    "lesson4.summary.lbfgs.local": "one gradient pass (the two loops run on the driver)",
    "lesson4.summary.lbfgs.stragglers": "waits every round, few rounds",
    "lesson4.summary.lbfgs.non_iid": "none",
    "lesson4.summary.local_sgd.local": "H local gradient steps",
    "lesson4.summary.local_sgd.stragglers": "one wait per H local steps",
    "lesson4.summary.local_sgd.non_iid": "drift: the average stalls away from w*.",
    "lesson4.summary.admm.local": "a local Newton solve",
    "lesson4.summary.admm.stragglers": "waits every round, the solve is longer",
    "lesson4.summary.admm.non_iid": "converges to w*; the duals absorb the difference",
    "lesson4.rounds": "## Rounds, not iterations\n\n"
                      "The button runs the six methods on Spark from w = 0 on the churn data. "
                      "Each curve plots J − J* (J* from Newton's method in numpy) against the "
                      "rounds spent so far, and against the bytes moved; the table gives the "
                      "rounds to reach J − J* ≤ 10⁻⁶, the bytes per round and the seconds per "
                      "round this machine measured. Gradient descent and Nesterov use the "
                      "spectral step, Newton and L-BFGS the full step, local SGD 10 local steps "
                      "per round at the spectral step, ADMM ρ = 0.01.",
    "lesson4.rates": "## Rates: what the curves say\n\n"
                     "On a log scale a **linear** rate (eₖ₊₁ ≈ q·eₖ) is a straight line; "
                     "**superlinear** bends down (eₖ₊₁/eₖ → 0); **quadratic** (eₖ₊₁ ≈ C·eₖ²) "
                     "doubles the correct digits each iteration; a linear rate with q close to 1 "
                     "looks sublinear over a short run (the ratio creeps up while the steep "
                     "directions die out). The classical bounds after k iterations (L smoothness, "
                     "μ strong convexity, κ = L/μ):\n\n"
                     "| objective | gradient descent | Nesterov | Newton | SGD |\n"
                     "|---|---|---|---|---|\n| smooth, strongly convex | (1 − 1/κ)ᵏ, linear | (1 "
                     "− 1/√κ)ᵏ, linear | quadratic near w* | O(1/k) with a decreasing step |\n"
                     "| smooth, convex | O(1/k) | O(1/k²) | — | O(1/√k) |\n"
                     "| non-smooth, strongly convex | O(1/k) (subgradient) | — | — | O(1/k) |\n"
                     "| non-smooth, convex | O(1/√k) (subgradient) | — | — | O(1/√k) |\n\n"
                     "**Total cost = cost per iteration × iterations.** Newton's iteration costs "
                     "more (a d × d Hessian in every task, a d × d solve on the driver), an "
                     "L-BFGS iteration about as much as a gradient step; with the small d of this "
                     "page a round's cost is mostly its fixed part (scheduling, latency, the "
                     "slowest task: lesson 3), so fewer rounds win. The table below multiplies "
                     "the seconds per round measured above by the rounds to 10⁻⁶.",
    "lesson4.lbfgs": "## L-BFGS: a Newton-like step from gradients alone\n\n"
                     "L-BFGS needs no Hessian: it keeps the last m pairs s = w₊ − w, y = ∇J(w₊) − "
                     "∇J(w) and turns the gradient into a quasi-Newton direction with the "
                     "two-loop recursion, on the driver (O(m·d) work). The distributed part is "
                     "only the gradient, one round per iteration as in lesson 2. A pair is kept "
                     "only when sᵀy > 0 (the curvature condition; the engine asks sᵀy > "
                     "10⁻⁸‖s‖‖y‖, a margin against rounding), so the direction always goes "
                     "downhill. Step below with **L-BFGS** or **gradient descent** on the 2-D "
                     "data (on Spark); the figure compares both paths from w = 0, and the table "
                     "lists the pairs L-BFGS keeps.",
    "lesson4.mllib": "## Spark's own LogisticRegression\n\n"
                     "`pyspark.ml.classification.LogisticRegression` runs L-BFGS (OWL-QN with "
                     "an L1 penalty) over `treeAggregate`: one round per gradient, as ours. "
                     "The button fits it on the same rows with regParam = λ₂, "
                     "elasticNetParam = 0 and standardization off, which is our J.",
    "lesson4.local_sgd": "## Local SGD: fewer rounds, more local work\n\n"
                         "Each partition takes H gradient steps on its own rows, then the "
                         "driver averages the models, weighted by rows: one round per H local "
                         "steps. The sweep runs it for each H on rows split at random (IID) "
                         "and on rows grouped by label (non-IID).",
    "lesson4.local_sgd_after": "With more local steps each round goes further, so fewer rounds "
                               "reach a given accuracy; but each partition drifts towards the "
                               "minimizer of its own rows, and with a constant step the average "
                               "settles at a point that is not w*: the error floor rises with H "
                               "(H = 1 is gradient descent: no floor, only a slower start). When "
                               "the partitions hold different classes the local minimizers are "
                               "far apart and averaging them fails.",
    "lesson4.admm": "## ADMM: local solves and a consensus\n\n"
                    "Consensus ADMM splits J into the partitions' parts f_p and the penalty g, "
                    "and asks x_p = z for every p. One round: each partition solves "
                    "x_p = argmin f_p(x) + (ρ/2)‖x − z + u_p‖² (a few Newton steps on its rows), "
                    "the driver sets z = argmin g(z) + (Pρ/2)‖z − mean(x_p + u_p)‖² "
                    "and u_p ← u_p + x_p − z. "
                    "The primal residual r = ‖x − z‖ says how far the partitions are from "
                    "agreeing, the dual residual s = ρ√P‖z₊ − z‖ how much z still moves. "
                    "ρ too small: the partitions barely listen to z; too large: z barely "
                    "moves. The button runs ADMM for each ρ typed below.",
    "lesson4.lasso": "## The lasso with exact zeros\n\n"
                     "With λ₁‖w‖₁ in g, the z-step is a soft-threshold: coordinates whose "
                     "average falls under λ₁/(Pρ) become **exactly** 0, which gradient methods "
                     "on a smoothed penalty never give (lesson 1).",
    "lesson4.summary": "## Which method, when\n\n"
                       "The measured columns come from the runs above; the others say what "
                       "each round asks of a partition and how the method reacts to a slow "
                       "task or to partitions that do not look alike.",
    "lesson4.total_cost": "### Total cost",
    "lesson4.losses": "## Loss functions compared\n\n"
                      "For labels y = ±1 and a margin m = y·wᵀx: the **0-1 loss** counts "
                      "errors but has no useful gradient; the **hinge** (linear SVM) is its "
                      "convex upper bound, not differentiable at m = 1; the **logistic** loss "
                      "is smooth; the **squared** loss also punishes margins that are too "
                      "large. The engine implements logistic, hinge and squares "
                      "(`Problem(\"logistic\" | \"hinge\" | \"squares\")`); the 0-1 loss is "
                      "what the accuracy counts.",
    "lesson4.history": "### A short history\n\n"
                       "* **Cauchy, 1847**: gradient descent, to solve systems of equations "
                       "from astronomy.\n"
                       "* **Robbins & Monro, 1951**: stochastic approximation, the root of "
                       "SGD (steps η_k with Σ η_k = ∞, Σ η_k² < ∞).\n"
                       "* **Nesterov, 1983**: the accelerated gradient, O(1/k²) on smooth "
                       "convex functions, optimal for first-order methods.\n"
                       "* **Beck & Teboulle, 2009**: FISTA, Nesterov's acceleration for "
                       "proximal (lasso-type) problems.",
    "lesson4.adaptive": "### Adaptive methods (a card)\n\n"
                        "They scale each coordinate's step by the gradients seen so far:\n\n"
                        "* **AdaGrad** (Duchi, Hazan & Singer, 2011): divide by the root of the "
                        "sum of squared gradients;\n* **RMSProp** (Tieleman & Hinton, 2012, "
                        "lecture notes): a moving average of squared gradients instead;\n"
                        "* **Adadelta** (Zeiler, 2012): also a moving average of squared updates, "
                        "no global step;\n* **Adam** and **AdaMax** (Kingma & Ba, 2015): momentum "
                        "plus RMSProp, with bias correction; AdaMax uses the max-norm;\n"
                        "* **Nadam** (Dozat, 2016): Adam with Nesterov's look-ahead;\n"
                        "* **kSGD** (Patel, 2016): a Kalman-filter view of SGD.\n\n"
                        "They are not in the engine: the figure below runs small numpy versions "
                        "of all of them but kSGD on two test functions (a long valley and a "
                        "saddle), not on Spark.",
    "lesson4.four": "## The workshop's final figure\n\n"
                    "The original lab ended with four curves on churn from the same start: "
                    "gradient descent, gradient descent with momentum, mini-batch (10 % of "
                    "the rows per step), mini-batch with momentum; J against iterations.",
    "lesson4.remember": "## What to remember\n\n"
                        "* On a cluster count **rounds** and bytes: a round pays the latency "
                        "and the slowest task.\n"
                        "* Newton and L-BFGS need few rounds; L-BFGS at the price of one "
                        "gradient per round.\n"
                        "* Local SGD trades rounds for local work, and pays with a floor that "
                        "grows with H and with non-IID data.\n"
                        "* ADMM solves local problems and reaches the exact lasso with exact "
                        "zeros; ρ sets its speed.",
    "lesson4.q.rounds.prompt": "Which method reaches J − J* ≤ 10⁻⁶ on churn in the fewest "
                               "rounds?",
    "lesson4.q.rounds.gd": "gradient descent",
    "lesson4.q.rounds.nesterov": "Nesterov",
    "lesson4.q.rounds.newton": "Newton",
    "lesson4.q.rounds.lbfgs": "L-BFGS",
    "lesson4.q.rounds.local_sgd": "local SGD",
    "lesson4.q.rounds.admm": "ADMM",
    "lesson4.q.rounds.explain": "{method}, in {rounds} rounds on this run.",
    "lesson4.q.rate.prompt": "What rate will Newton's curve show?",
    "lesson4.q.rate.explain": "Read off the measured curve: {kind}.",
    "lesson4.q.mllib.prompt": "MLlib's LogisticRegression on the same rows and the same J: "
                              "how close are its coefficients to ours?",
    "lesson4.q.mllib.digits": "equal to at least 3 decimals",
    "lesson4.q.mllib.close": "close (differences below 0.05)",
    "lesson4.q.mllib.different": "clearly different",
    "lesson4.q.mllib.explain": "Largest difference {gap:.1e} after {iterations} MLlib "
                               "iterations: the same minimizer, found by another L-BFGS.",
    "lesson4.q.non_iid.prompt": "Local SGD with rows grouped by label (each partition mostly "
                                "one class): compared with rows split at random?",
    "lesson4.q.non_iid.same": "about as close to J*",
    "lesson4.q.non_iid.worse": "clearly further from J*",
    "lesson4.q.non_iid.explain": "At H = {H}: J − J* = {iid:.1e} with random rows, "
                                 "{non_iid:.1e} grouped by label.",
    "lesson4.q.zeros.prompt": "ADMM with the lasso on churn: how many of the penalized "
                              "weights (all but the intercept) come out exactly 0?",
    "lesson4.q.zeros.explain": "{zeros} of {penalized}; proximal gradient in numpy gives "
                               "{reference}.",
    "lesson4.adaptive.sgd": "gradient step",
    "lesson4.adaptive.momentum": "momentum",
    "lesson4.adaptive.nesterov": "Nesterov",
    "lesson4.adaptive.adagrad": "AdaGrad",
    "lesson4.adaptive.rmsprop": "RMSProp",
    "lesson4.adaptive.adadelta": "Adadelta",
    "lesson4.adaptive.adam": "Adam",
    "lesson4.adaptive.adamax": "AdaMax",
    "lesson4.adaptive.nadam": "Nadam",
    "lesson4.surface.valley": "long valley: x²/2 + 50y²",
    "lesson4.surface.saddle": "saddle: x² − y²",
    "lesson4.adaptive_paths": "The card's methods but kSGD, beside a plain gradient step, "
                              "momentum and Nesterov, on two surfaces: 60 steps each from the "
                              "same start, each method with a step size of its own (small numpy "
                              "versions of each paper's rule, on this page only). In the long "
                              "valley the per-coordinate scaling of the adaptive methods evens "
                              "out the two curvatures: their first step is as long along x as "
                              "along y, where a gradient step goes mostly along y; at the saddle "
                              "they leave the flat start along y faster than a plain gradient "
                              "step.",
}
