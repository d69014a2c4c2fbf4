"""The grader in French: English template → French template, the same ``{placeholders}``.

The keys are the English templates the code says (:mod:`stepper.grade.say`);
``tests/grading/test_say.py`` fails when one lacks its French here, or an entry is no longer
said anywhere. The workshop's vocabulary: « tâche », « pas », « partition », « descente de
gradient », « hessienne », « régularisation ».
"""

from __future__ import annotations

STRINGS: dict[str, str] = {
    # statuses and the frame of the Check button and of the report
    "passed": "réussi",
    "failed": "échoué",
    "not implemented": "non implémenté",
    "timed out": "temps dépassé",
    "error": "erreur",
    "crashed": "plantage",
    "not submitted": "non rendu",
    "pass": "ok",
    "Task {task}: {name}": "Tâche {task} : {name}",
    "Task {task}: {score} / {max_score}": "Tâche {task} : {score} / {max_score}",
    "Check": "Vérifier",
    "Checking…": "Vérification…",
    "run the tests of Task {task} again": "relancer les tests de la tâche {task}",
    "check failed: {problem}": "la vérification a échoué : {problem}",
    "  no visible test for this task": "  aucun test visible pour cette tâche",
    "your cell, line {line}": "votre cellule, ligne {line}",
    "sandbox: {level}": "bac à sable : {level}",
    "not started": "non démarré",
    "  in force: {protection}": "  en place : {protection}",
    "  missing:  {protection}": "  absente :  {protection}",
    "flags: none": "signalements : aucun",
    "flags:": "signalements :",
    "  flag: {flag}": "  signalement : {flag}",
    # the grader's own messages
    "your notebook never finishes importing (> 60 s)":
        "l'import de votre notebook ne se termine jamais (> 60 s)",
    "the grader could not start its sandbox: {problem}":
        "le correcteur n'a pas pu démarrer son bac à sable : {problem}",
    "importing your notebook": "l'import de votre notebook",
    "while importing your notebook": "pendant l'import de votre notebook",
    "while importing your notebook: a definition in it ends the process":
        "pendant l'import de votre notebook : une de ses définitions termine le processus",
    "not implemented yet: `{names}` still raises NotImplementedError (Task {task}).":
        "pas encore implémenté : `{names}` lève toujours NotImplementedError (tâche {task}).",
    "not implemented yet: {problem}.": "pas encore implémenté : {problem}.",
    "timed out after {seconds} s: an infinite loop, or far too much work for this small "
    "example?": "temps dépassé après {seconds} s : une boucle infinie, ou beaucoup trop de "
                "calcul pour ce petit exemple ?",
    "crashed: {problem}": "plantage : {problem}",
    " (checking `{line}`)": " (en vérifiant `{line}`)",
    "your result could not be checked: {kind}: {problem}{where}":
        "votre résultat n'a pas pu être vérifié : {kind} : {problem}{where}",
    "not graded": "non corrigé",
    "your notebook {problem}": "votre notebook {problem}",
    "not submitted: no notebook for set {name}": "non rendu : aucun notebook pour la série {name}",
    "not run: {reason}.": "non exécuté : {reason}.",
    "{name}: not recognized as one of the exercise sets":
        "{name} : ne correspond à aucune des séries d'exercices",
    "two notebooks for set {name}: graded {kept}, ignored {dropped}":
        "deux notebooks pour la série {name} : {kept} corrigé, {dropped} ignoré",
    "your code's result cannot be graded: {problem}":
        "le résultat de votre code ne peut pas être corrigé : {problem}",
    "the process running your code ended ({kind}) while {what}: os._exit, a crash, or a limit "
    "(memory, CPU time)": "le processus qui exécute votre code s'est arrêté ({kind}) pendant "
                          "{what} : os._exit, un plantage, ou une limite (mémoire, temps CPU)",
    "not run: the process running your code had to be restarted {times} times (it crashed, or "
    "ran past time limits)": "non exécuté : le processus qui exécute votre code a dû être "
                             "redémarré {times} fois (il a planté, ou dépassé les limites de "
                             "temps)",
    # the sandbox's messages (said there, in the language the child gives it)
    "`{name}` is not defined in your notebook (was its cell deleted or the function renamed?)":
        "`{name}` n'est pas défini dans votre notebook (sa cellule a-t-elle été supprimée, ou "
        "la fonction renommée ?)",
    "  note: {note}": "  remarque : {note}",
    "`{name}` returned something that is not plain data: {problem}":
        "`{name}` a renvoyé autre chose que des données simples : {problem}",
    "your code called sys.exit({code}){where}.": "votre code a appelé sys.exit({code}){where}.",
    "your code raised RecursionError: {problem}{where}":
        "votre code a levé RecursionError : {problem}{where}",
    "your code raised a Spark error: {problem}{where}":
        "votre code a levé une erreur Spark : {problem}{where}",
    "\n  hint: the grader keeps only imports, functions, classes and simple constants from your "
    "notebook; define what the function needs inside it or pass it as an argument.":
        "\n  conseil : le correcteur ne garde de votre notebook que les imports, les fonctions, "
        "les classes et les constantes simples ; définissez ce dont la fonction a besoin à "
        "l'intérieur, ou passez-le en argument.",
    "your code raised {kind}: {problem}{where}{hint}":
        "votre code a levé {kind} : {problem}{where}{hint}",
    "cell {cell}, line {line}": "cellule {cell}, ligne {line}",
    # diagnose: the frame of a wrong value, and the generic mistakes
    "{what} is wrong: likely mistake — {mistake}.":
        "{what} : résultat faux, erreur probable — {mistake}.",
    "{what} is wrong.": "{what} : résultat faux.",
    "  expected: {value}": "  attendu : {value}",
    "  actual:   {value}": "  obtenu :  {value}",
    "  on the example: {example}": "  sur l'exemple : {example}",
    "  shape: expected {expected}, got {actual}": "  forme : {expected} attendue, {actual} obtenue",
    " (same numbers, wrong shape: check the axis / use .ravel())":
        " (mêmes nombres, mauvaise forme : vérifiez l'axe / utilisez .ravel())",
    "  largest difference: {diff} (tolerance {rtol} relative)":
        "  plus grand écart : {diff} (tolérance relative {rtol})",
    "{what} is None: did you forget `return`?": "{what} vaut None : un `return` oublié ?",
    "{what} should be numbers shaped {shape}, got {kind}: {value}":
        "{what} : des nombres de forme {shape} sont attendus, obtenu {kind} : {value}",
    "the shape is wrong": "la forme est fausse",
    "an overflow (inf or nan): use the stable forms np.logaddexp(0, -m) and the sigmoid "
    "provided": "un dépassement de capacité (inf ou nan) : utilisez les formes stables "
                "np.logaddexp(0, -m) et la sigmoid fournie",
    "the sign is flipped (check the minus sign in front of the sum / the direction of the "
    "step)": "le signe est inversé (vérifiez le signe moins devant la somme / le sens du pas)",
    "a factor n = {n} too large: you summed where a mean is expected (a missing 1/n)":
        "un facteur n = {n} de trop : une somme là où une moyenne est attendue (un 1/n "
        "manquant)",
    "a factor n = {n} too small: you averaged where a sum is expected (an extra 1/n)":
        "un facteur n = {n} de moins : une moyenne là où une somme est attendue (un 1/n en "
        "trop)",
    "the result is transposed (wrong axis)": "le résultat est transposé (mauvais axe)",
    "return a pair {what}; got {kind}: {value}":
        "renvoyez une paire {what} ; obtenu {kind} : {value}",
    # what is checked, and on which example (what=, example=)
    "the count of partition {index}": "l'effectif de la partition {index}",
    "the loss sum of partition {index}": "la somme des pertes de la partition {index}",
    "the gradient sum of partition {index}": "la somme des gradients de la partition {index}",
    "partition {index} of 3 ({rows} rows), w={w}": "partition {index} sur 3 ({rows} lignes), w={w}",
    "3 partials (5, 4 and 3 rows), w={w}, λ={lam}": "3 partiels (5, 4 et 3 lignes), w={w}, λ={lam}",
    "60 points in 3 partitions, fraction={fraction}, seed={seed}, λ={lam}":
        "60 points dans 3 partitions, fraction={fraction}, seed={seed}, λ={lam}",
    "20 points in 3 partitions, w={w}, λ={lam}": "20 points dans 3 partitions, w={w}, λ={lam}",
    "40 points in 3 partitions, labels {labels}…":
        "40 points dans 3 partitions, étiquettes {labels}…",
    "100 points in 3 partitions, class sizes {sizes}, seed=7":
        "100 points dans 3 partitions, tailles des classes {sizes}, seed=7",
    "80 points in 4 partitions, class sizes {sizes}, seed=3":
        "80 points dans 4 partitions, tailles des classes {sizes}, seed=3",
    "3 rows in 5 partitions (two are empty)": "3 lignes dans 5 partitions (deux sont vides)",
    "30 rows, 3 features": "30 lignes, 3 variables",
    "40 rows, 6 features": "40 lignes, 6 variables",
    "8 partials of 2 rows": "8 partiels de 2 lignes",
    "J on the mini-batch": "J sur le mini-batch",
    "∇J on the mini-batch": "∇J sur le mini-batch",
    "loss at large margins": "loss à grandes marges",
    "loss_one at m = −700": "loss_one en m = −700",
    "partition_hessian on one row": "partition_hessian sur une ligne",
    "the final w": "le w final",
    "the first feature of the sampled points": "la première variable des points tirés",
    "the labels": "les étiquettes",
    "the labels must be kept as they are": "les étiquettes doivent rester telles quelles",
    "the maximum": "le maximum",
    "the maximum (high)": "le maximum (high)",
    "the minimum": "le minimum",
    "the minimum (low)": "le minimum (low)",
    "the number of steps": "le nombre de pas",
    "the number of steps with tol=0, max_iter=2": "le nombre de pas avec tol=0, max_iter=2",
    "the scaled features": "les variables normalisées",
    "the sum of the loss sums": "la somme des sommes de pertes",
    "the trajectory": "la trajectoire",
    "the trajectory for n_iter = 0": "la trajectoire pour n_iter = 0",
    "tol=0 never stops early": "tol=0 ne s'arrête jamais avant",
    "two Newton steps from 0": "deux pas de Newton depuis 0",
    "w after two steps": "w après deux pas",
    "w_new with μ = 0": "w_new avec μ = 0",
    "{{label: count}} after balance": "{{étiquette: effectif}} après balance",
    # set 0: Spark basics
    "class counts": "effectifs des classes",
    "minimum and maximum per feature": "minimum et maximum par variable",
    "features scaled to [0, 1] with the intercept in front":
        "variables ramenées à [0, 1], précédées de l'ordonnée à l'origine",
    "classes balanced by a seeded sampleByKey": "classes équilibrées par un sampleByKey à graine",
    "ranges of three features in 4 partitions, one negative everywhere":
        "étendues de trois variables sur 4 partitions, l'une négative partout",
    "balance when the +1 class is the larger one, 4 partitions":
        "équilibrage quand la classe +1 est la plus grande, 4 partitions",
    "a wrong axis: one minimum per feature (column)":
        "un mauvais axe : un minimum par variable (colonne)",
    "one number for the whole array: reduce entry by entry (np.minimum), not with min()":
        "un seul nombre pour tout le tableau : réduisez coefficient par coefficient "
        "(np.minimum), pas avec min()",
    "a wrong axis: one maximum per feature (column)":
        "un mauvais axe : un maximum par variable (colonne)",
    "one number for the whole array: reduce entry by entry (np.maximum), not with max()":
        "un seul nombre pour tout le tableau : réduisez coefficient par coefficient "
        "(np.maximum), pas avec max()",
    "the intercept is missing: put a constant 1 first":
        "l'ordonnée à l'origine manque : mettez une constante 1 en premier",
    "{name} should return an RDD (a transformation, not collected); got {kind}":
        "{name} devrait renvoyer un RDD (une transformation, sans collect) ; obtenu {kind}",
    "count_classes should return a dict {{label: count}}; got {kind}":
        "count_classes devrait renvoyer un dictionnaire {{étiquette: effectif}} ; obtenu {kind}",
    "min_max_scale should keep every point: {n} expected, {got} returned":
        "min_max_scale devrait garder tous les points : {n} attendus, {got} renvoyés",
    "the sample is not the seeded sampleByKey(False, fractions, seed) with fractions "
    "{{smaller class: 1, larger class: smaller size / larger size}}":
        "l'échantillon n'est pas celui de sampleByKey(False, fractions, seed) avec les "
        "fractions {{petite classe : 1, grande classe : petite taille / grande taille}}",
    "balance should return an RDD; got {kind}": "balance devrait renvoyer un RDD ; obtenu {kind}",
    "every point counted under one key": "tous les points comptés sous une seule clé",
    "low and high are swapped: return (minimum, maximum)":
        "low et high sont inversés : renvoyez (minimum, maximum)",
    "the first row, not the minimum: combine both sides in the reduce":
        "la première ligne, pas le minimum : combinez les deux côtés dans le reduce",
    "the mean, not the minimum": "la moyenne, pas le minimum",
    "the first row, not the maximum: combine both sides in the reduce":
        "la première ligne, pas le maximum : combinez les deux côtés dans le reduce",
    "the width high − low, not the maximum": "la largeur high − low, pas le maximum",
    "the intercept is last; put it first ([1, z₁, z₂])":
        "l'ordonnée à l'origine est en dernier ; mettez-la en premier ([1, z₁, z₂])",
    "divided by high where the width high − low is needed":
        "divisé par high là où il faut la largeur high − low",
    "low is not subtracted first: (x − low) / (high − low)":
        "low n'est pas soustrait d'abord : (x − low) / (high − low)",
    "not divided by high − low": "pas divisé par high − low",
    "standardized (mean and std) where min-max scaling is asked":
        "centré-réduit (moyenne et écart-type) alors qu'une normalisation min-max est demandée",
    "nothing was sampled: every point is still there":
        "rien n'a été échantillonné : tous les points sont encore là",
    "the fractions are reversed: keep every point of the smaller class, sample the larger one":
        "les fractions sont inversées : gardez tous les points de la petite classe, "
        "échantillonnez la grande",
    "sampled with replacement: sampleByKey(False, fractions, seed)":
        "échantillonné avec remise : sampleByKey(False, fractions, seed)",
    # set 1: the oracles
    "loss of one example with label +1": "perte d'un exemple d'étiquette +1",
    "loss of one example with label −1": "perte d'un exemple d'étiquette −1",
    "gradient of one example": "gradient d'un exemple",
    "Hessian of one example": "hessienne d'un exemple",
    "vectorized loss of a block, with λ": "perte vectorisée d'un bloc, avec λ",
    "vectorized gradient of a block, with λ": "gradient vectorisé d'un bloc, avec λ",
    "vectorized Hessian of a block, with λ": "hessienne vectorisée d'un bloc, avec λ",
    "Lipschitz step 1/L": "pas de Lipschitz 1/L",
    "loss of one example at a large margin (no overflow)":
        "perte d'un exemple à grande marge (sans dépassement)",
    "vectorized loss at large margins (no overflow)":
        "perte vectorisée à grandes marges (sans dépassement)",
    "vectorized gradient on a 40 × 6 block": "gradient vectorisé sur un bloc 40 × 6",
    "vectorized Hessian on a 40 × 6 block": "hessienne vectorisée sur un bloc 40 × 6",
    "Lipschitz step dominated by one long row": "pas de Lipschitz dominé par une longue ligne",
    "a wrong axis: the gradient has one entry per feature (X.T @ r), not one per example":
        "un mauvais axe : le gradient a une valeur par variable (X.T @ r), pas une par exemple",
    "a wrong axis: X Xᵀ (n × n) where Xᵀ D X (d × d) is needed":
        "un mauvais axe : X Xᵀ (n × n) là où il faut Xᵀ D X (d × d)",
    "the sign inside exp: it is log(1 + exp(−y wᵀx))":
        "le signe dans exp : c'est log(1 + exp(−y wᵀx))",
    "the log is missing": "le log manque",
    "exp is missing: log(1 + exp(−m)), not log(1 − m)":
        "exp manque : log(1 + exp(−m)), pas log(1 − m)",
    "the label y is missing from the margin y wᵀx":
        "l'étiquette y manque dans la marge y wᵀx",
    "the sign inside exp: log(1 + exp(−y wᵀx))": "le signe dans exp : log(1 + exp(−y wᵀx))",
    "σ(y wᵀx) where σ(−y wᵀx) is needed": "σ(y wᵀx) là où il faut σ(−y wᵀx)",
    "the label y is missing (twice)": "l'étiquette y manque (deux fois)",
    "the factor y in front of x is missing": "le facteur y devant x manque",
    "σ(m) where σ(m)(1 − σ(m)) is needed": "σ(m) là où il faut σ(m)(1 − σ(m))",
    "x·x (a number) where the outer product x xᵀ (a matrix, np.outer) is needed":
        "x·x (un nombre) là où il faut le produit extérieur x xᵀ (une matrice, np.outer)",
    "a sum where the mean is needed (missing 1/n)":
        "une somme là où il faut la moyenne (1/n manquant)",
    "the regularization (λ/2)‖w‖² is missing": "la régularisation (λ/2)‖w‖² manque",
    "the ½ in (λ/2)‖w‖² is missing": "le ½ de (λ/2)‖w‖² manque",
    "a sum where the mean is needed (missing 1/n), and the regularization is missing":
        "une somme là où il faut la moyenne (1/n manquant), et la régularisation manque",
    "the regularization term λw is missing": "le terme de régularisation λw manque",
    "the gradient of (λ/2)‖w‖² is λw, not λw/2": "le gradient de (λ/2)‖w‖² est λw, pas λw/2",
    "the sign of the data term is flipped": "le signe du terme d'attache aux données est inversé",
    "the regularization λI is missing": "la régularisation λI manque",
    "λ added to every entry: it is λI (the diagonal only)":
        "λ ajouté à chaque coefficient : c'est λI (la diagonale seulement)",
    "weights σ(m) where σ(m)(1 − σ(m)) is needed":
        "des poids σ(m) là où il faut σ(m)(1 − σ(m))",
    "returned L; the step is 1/L": "L renvoyé ; le pas est 1/L",
    "the factor ¼ in L = ¼·maxᵢ‖xᵢ‖² is missing": "le facteur ¼ de L = ¼·maxᵢ‖xᵢ‖² manque",
    "‖xᵢ‖ where ‖xᵢ‖² is needed": "‖xᵢ‖ là où il faut ‖xᵢ‖²",
    "the mean of ‖xᵢ‖² where the max is needed": "la moyenne des ‖xᵢ‖² là où il faut le max",
    "4·max‖xᵢ‖² where ¼·max‖xᵢ‖² is needed": "4·max‖xᵢ‖² là où il faut ¼·max‖xᵢ‖²",
    "a wrong axis: the norms are over each row xᵢ (axis=1)":
        "un mauvais axe : les normes portent sur chaque ligne xᵢ (axis=1)",
    # set 2: distributed gradient descent
    "sums of the losses and gradients of one block":
        "sommes des pertes et des gradients d'un bloc",
    "one (loss_sum, grad_sum, count) per partition, with mapPartitions":
        "un (loss_sum, grad_sum, count) par partition, avec mapPartitions",
    "J(w) and ∇J(w) from the partials": "J(w) et ∇J(w) à partir des partiels",
    "the driver loop on a small quadratic": "la boucle du driver sur une petite quadratique",
    "one momentum step": "un pas de moment",
    "one Nesterov step": "un pas de Nesterov",
    "J and ∇J on a sampled mini-batch": "J et ∇J sur un mini-batch échantillonné",
    "a partition may be empty": "une partition peut être vide",
    "combine with λ = 0 and many partials": "combine avec λ = 0 et beaucoup de partiels",
    "Nesterov with μ = 0 is a gradient step": "Nesterov avec μ = 0 est un pas de gradient",
    "zero iterations return just w0": "zéro itération renvoie seulement w0",
    "a wrong axis: one entry per feature (X.T @ r)":
        "un mauvais axe : une valeur par variable (X.T @ r)",
    "4 rows where n_iter + 1 = 5 are needed: the first row is w0":
        "4 lignes là où il en faut n_iter + 1 = 5 : la première ligne est w0",
    "partition_partials should return the RDD from mapPartitions; got {kind}":
        "partition_partials devrait renvoyer le RDD issu de mapPartitions ; obtenu {kind}",
    "one record per row: use mapPartitions (one record per partition), not map":
        "un enregistrement par ligne : utilisez mapPartitions (un enregistrement par "
        "partition), pas map",
    "expected one partial per partition ({expected}), got {got}":
        "un partiel par partition attendu ({expected}), obtenu {got}",
    "partition {index}: yield a triple (loss_sum, grad_sum, count); got {record}":
        "partition {index} : produisez un triplet (loss_sum, grad_sum, count) ; obtenu {record}",
    "3 rows in 5 partitions: expected 5 partials (zeros for an empty partition), got {got}":
        "3 lignes dans 5 partitions : 5 partiels attendus (des zéros pour une partition vide), "
        "obtenu {got}",
    "gradient_descent modified w0 in place: start from a copy (w = np.array(w0))":
        "gradient_descent a modifié w0 en place : partez d'une copie (w = np.array(w0))",
    "sampled without replacement: use sample(True, fraction, seed)":
        "échantillonné sans remise : utilisez sample(True, fraction, seed)",
    "the whole data set was used, not the sample":
        "tout le jeu de données a été utilisé, pas l'échantillon",
    "divided by the size of the whole data set, not of the sample":
        "divisé par la taille de tout le jeu de données, pas de l'échantillon",
    "not divided by the total count n": "pas divisé par l'effectif total n",
    "divided by the number of partitions, not by n":
        "divisé par le nombre de partitions, pas par n",
    "a step uphill: w ← w − step·∇J(w)": "un pas vers le haut : w ← w − step·∇J(w)",
    "w0 is missing from the first row": "w0 manque en première ligne",
    "v has the opposite sign of the lesson's convention v ← μv + α∇J(w)":
        "v a le signe opposé à la convention de la leçon v ← μv + α∇J(w)",
    "μv is missing: that is plain gradient descent":
        "μv manque : c'est la descente de gradient simple",
    "the gradient at w − μv: that is Nesterov, not momentum":
        "le gradient en w − μv : c'est Nesterov, pas le moment",
    "w updated with the old v; update v first, then w ← w − v":
        "w mis à jour avec l'ancien v ; mettez d'abord v à jour, puis w ← w − v",
    "w ← w − v, not w + v": "w ← w − v, pas w + v",
    "the gradient at w: that is plain momentum; Nesterov looks ahead to w − μv":
        "le gradient en w : c'est le moment simple ; Nesterov anticipe en w − μv",
    "the look-ahead point is w − μv, not w + μv": "le point anticipé est w − μv, pas w + μv",
    "v has the opposite sign of the lesson's convention":
        "v a le signe opposé à la convention de la leçon",
    # set 3: Newton
    "Hessian sum of one block": "somme des hessiennes d'un bloc",
    "Hessian sum of a one-row block": "somme des hessiennes d'un bloc d'une ligne",
    "reduced Hessian over an RDD": "hessienne réduite sur un RDD",
    "one Newton step": "un pas de Newton",
    "Newton's method stops on the decrement": "la méthode de Newton s'arrête sur le décrément",
    "Newton's method stops after max_iter steps":
        "la méthode de Newton s'arrête après max_iter pas",
    "λ added to every entry: it is λI": "λ ajouté à chaque coefficient : c'est λI",
    "a step uphill: w − H⁻¹g, not w + H⁻¹g": "un pas vers le haut : w − H⁻¹g, pas w + H⁻¹g",
    "H g where H⁻¹g is needed (solve H d = g)": "H g là où il faut H⁻¹g (résolvez H d = g)",
    "solved with Hᵀ instead of H": "résolu avec Hᵀ au lieu de H",
    "the step alone: return w − H⁻¹g": "le pas seul : renvoyez w − H⁻¹g",
    "one too many: count the Newton steps taken, not the oracle calls":
        "un de trop : comptez les pas de Newton effectués, pas les appels à l'oracle",
    "one too few: count every Newton step taken":
        "un de moins : comptez chaque pas de Newton effectué",
    # notebooks that cannot be read (extract.read_notebook, runner._read)
    "cannot be read: {problem}": "ne peut pas être lu : {problem}",
    "does not parse as a notebook (invalid JSON at line {line}, column {column}: {problem}); "
    "was it saved completely?":
        "n'est pas un notebook lisible (JSON invalide ligne {line}, colonne {column} : "
        "{problem}) ; a-t-il été enregistré entièrement ?",
    "does not parse as a notebook (no list of cells)":
        "n'est pas un notebook lisible (pas de liste de cellules)",
    "does not parse as a notebook ({problem})": "n'est pas un notebook lisible ({problem})",
    "does not parse as a notebook (nested too deeply)":
        "n'est pas un notebook lisible (imbrication trop profonde)",
    "is a symbolic link pointing outside the submission: not read":
        "est un lien symbolique qui pointe hors du rendu : non lu",
    "is larger than {mb} MB: not read": "dépasse {mb} Mo : non lu",
    # the sandbox's protections (jail.describe) and what it was seen doing (remote flags)
    "separate process; only plain data crosses (JSON + numpy arrays, ≤ 10 MB)":
        "processus séparé ; seules des données simples passent (JSON + tableaux numpy, ≤ 10 Mo)",
    "time limits enforced from outside (the grader kills the sandbox)":
        "limites de temps appliquées de l'extérieur (le correcteur arrête le bac à sable)",
    "rlimits: CPU time, address space, open files, file size":
        "rlimits : temps CPU, espace d'adressage, fichiers ouverts, taille des fichiers",
    "rlimits: CPU time, address space, open files, file size, processes":
        "rlimits : temps CPU, espace d'adressage, fichiers ouverts, taille des fichiers, "
        "processus",
    "new PID namespace (every process of the sandbox ends with it)":
        "nouvel espace de noms PID (chaque processus du bac à sable se termine avec lui)",
    "new network namespace (loopback only)":
        "nouvel espace de noms réseau (boucle locale seulement)",
    "private file tree: system, Python, venv, Java and stepper read-only; tests, hidden tests and "
    "references hidden; no solutions, submissions or grading output":
        "arborescence privée : système, Python, venv, Java et stepper en lecture seule ; tests, "
        "tests cachés et références masqués ; ni solutions, ni rendus, ni résultats de correction",
    "private tmpfs of {mb} MB as the only writable place":
        "tmpfs privé de {mb} Mo, seul endroit où écrire",
    "own unprivileged uid/gid per grading slot; the uid's processes swept afterwards":
        "uid/gid non privilégiés propres à chaque place de correction ; les processus de cet "
        "uid sont arrêtés ensuite",
    "memory cgroup ({mb} MB)": "cgroup mémoire ({mb} Mo)",
    "memory cgroup (not writable here): the address-space limit stands in":
        "cgroup mémoire (non modifiable ici) : la limite d'espace d'adressage le remplace",
    "separate uid (user namespaces only map the grader's own user)":
        "uid séparé (les espaces de noms utilisateur ne font correspondre que l'utilisateur du "
        "correcteur)",
    "memory cgroup (needs root): the address-space limit stands in":
        "cgroup mémoire (demande root) : la limite d'espace d'adressage le remplace",
    "RLIMIT_NPROC (would count the grader's own processes)":
        "RLIMIT_NPROC (compterait les processus du correcteur lui-même)",
    "namespaces, separate uid, private file tree, network isolation, memory cgroup: a determined "
    "attendee can read the grader's files (hidden tests, references) and reach the network":
        "espaces de noms, uid séparé, arborescence privée, isolement réseau, cgroup mémoire : un "
        "participant déterminé peut lire les fichiers du correcteur (tests cachés, références) "
        "et accéder au réseau",
    "{count} process(es) of the sandbox's user were still running after it ended (a detached "
    "daemon?) and were killed":
        "{count} processus de l'utilisateur du bac à sable tournaient encore après sa fin (un "
        "démon détaché ?) et ont été arrêtés",
    "killed at the CPU-time limit": "arrêté à la limite de temps CPU",
    "hit the memory limit": "a atteint la limite de mémoire",
    "started {count} detached process(es) (setsid); ended with the sandbox":
        "a lancé {count} processus détaché(s) (setsid) ; arrêté(s) avec le bac à sable",
    "returned data that is not plain": "a renvoyé des données qui ne sont pas simples",
    "hit the memory limit (MemoryError)": "a atteint la limite de mémoire (MemoryError)",
    "hit the disk limit (file size or the private tmpfs)":
        "a atteint la limite de disque (taille de fichier ou tmpfs privé)",
    "too many sandbox restarts: the remaining tests were not run":
        "trop de redémarrages du bac à sable : les tests restants n'ont pas été lancés",
    "printed text that looks like grading records (ignored)":
        "a affiché du texte qui ressemble à des résultats de correction (ignoré)",
    "wrote stray data into the grader's channel (skipped)":
        "a écrit des données parasites dans le canal du correcteur (ignorées)",
    "killed at a time limit while {what}": "arrêté à une limite de temps pendant : {what}",
    "sent data that is not plain or too large ({problem})":
        "a envoyé des données qui ne sont pas simples ou trop grandes ({problem})",
    "the sandbox ended while {what} ({kind})":
        "le bac à sable s'est terminé pendant : {what} ({kind})",
    "the sandbox ended between tests": "le bac à sable s'est terminé entre deux tests",
    # -- set 4: costs and synchrony ---
    "the four terms of the cost model": "les quatre termes du modèle de coût",
    "iteration_time should return a dict with the keys {keys}; got {kind}":
        "iteration_time doit renvoyer un dictionnaire avec les clés {keys} ; reçu {kind}",
    "iteration_time: the key(s) {keys} are missing from the dict":
        "iteration_time : la ou les clés {keys} manquent dans le dictionnaire",
    "P={P} partitions, {cores} cores, n={n} rows, d={d}, t_task={t_task}, t_row={t_row}, "
    "t_byte={t_byte}":
        "P={P} partitions, {cores} cœurs, n={n} lignes, d={d}, t_task={t_task}, t_row={t_row}, "
        "t_byte={t_byte}",
    "the {term} term": "le terme {term}",
    "one launch for the whole stage: the driver launches each of the P tasks, P · t_task":
        "un seul lancement pour toute l'étape : le driver lance chacune des P tâches, P · t_task",
    "one launch per wave: the driver launches each of the P tasks, P · t_task":
        "un lancement par vague : le driver lance chacune des P tâches, P · t_task",
    "the waves are missing: with more tasks than cores, the tasks run in ⌈P / cores⌉ waves":
        "les vagues manquent : avec plus de tâches que de cœurs, les tâches s'exécutent en "
        "⌈P / cores⌉ vagues",
    "every row one after the other: the tasks of a wave run in parallel, only the slowest "
    "counts":
        "toutes les lignes l'une après l'autre : les tâches d'une vague s'exécutent en "
        "parallèle, seule la plus lente compte",
    "no whole numbers: a wave and a task's rows are whole, ⌈P / cores⌉ · ⌈n / P⌉":
        "pas de nombres entiers : les vagues et les lignes d'une tâche sont entières, "
        "⌈P / cores⌉ · ⌈n / P⌉",
    "a float is 8 bytes: P · 8d bytes": "un flottant fait 8 octets : P · 8d octets",
    "one partial only: the driver receives P of them":
        "un seul partiel : le driver en reçoit P",
    "one partial per core: the driver receives one per partition, P of them":
        "un partiel par cœur : le driver en reçoit un par partition, soit P",
    "the weights sent once per task: a broadcast sends them once, 8d bytes":
        "les poids envoyés une fois par tâche : une diffusion les envoie une seule fois, "
        "8d octets",
    "a float is 8 bytes: 8d bytes": "un flottant fait 8 octets : 8d octets",
    "treeAggregate's scale and partials per level":
        "l'éventail de treeAggregate et les partiels par niveau",
    "tree_shape should return (scale, counts), counts a list of whole numbers; got {value}":
        "tree_shape doit renvoyer (scale, counts), counts étant une liste d'entiers ; reçu "
        "{value}",
    "the tree of depth + 1: the depth is off by one":
        "l'arbre de profondeur + 1 : la profondeur est décalée de un",
    "the tree of depth − 1: the depth is off by one":
        "l'arbre de profondeur − 1 : la profondeur est décalée de un",
    "the driver's single result is missing: counts end with 1":
        "le résultat unique du driver manque : counts se termine par 1",
    "the P partitions' partials are missing: counts start with P":
        "les partiels des P partitions manquent : counts commence par P",
    "the scale rounds up: ⌈P^(1/depth)⌉": "l'éventail est arrondi au-dessus : ⌈P^(1/depth)⌉",
    "c is divided as a float, c ← c / scale, and only the count of partials is rounded down":
        "c est divisé en flottant, c ← c / scale, et seul le nombre de partiels est arrondi "
        "à l'entier inférieur",
    "tree_shape({P}, {depth})": "tree_shape({P}, {depth})",
    "P={P} partitions, depth={depth}: the rule of PySpark's treeAggregate":
        "P={P} partitions, profondeur {depth} : la règle du treeAggregate de PySpark",
    "greedy list scheduling of tasks on slots":
        "ordonnancement glouton de tâches sur des emplacements",
    "makespan({times}, {slots})": "makespan({times}, {slots})",
    "{count} tasks on {slots} slots, launched in order":
        "{count} tâches sur {slots} emplacements, lancées dans l'ordre",
    "the durations were summed: the slots run in parallel, the makespan is when the last ends":
        "les durées ont été additionnées : les emplacements travaillent en parallèle, le "
        "makespan est la fin de la dernière tâche",
    "a perfect split of the work: tasks are whole, each on one slot":
        "un partage parfait du travail : une tâche est indivisible, sur un seul emplacement",
    "the longest task alone: more tasks than slots queue behind each other":
        "la tâche la plus longue seule : s'il y a plus de tâches que d'emplacements, elles "
        "attendent les unes derrière les autres",
    "the tasks sorted longest first: Spark launches them in order":
        "les tâches triées de la plus longue à la plus courte : Spark les lance dans l'ordre",
    "task i on slot i mod slots: each task takes the slot that frees first":
        "la tâche i sur l'emplacement i mod slots : chaque tâche prend l'emplacement qui se "
        "libère le premier",
    "gradients τ updates stale": "des gradients en retard de τ mises à jour",
    "τ = 0 is plain gradient descent": "τ = 0 est la descente de gradient ordinaire",
    "the gradient was taken at w_t: it must be at the stale point w_(t−τ)":
        "le gradient a été pris en w_t : il doit l'être au point retardé w_(t−τ)",
    "off by one: the stale point is w_(t−τ), not w_(t−τ+1)":
        "décalage de un : le point retardé est w_(t−τ), pas w_(t−τ+1)",
    "off by one: the stale point is w_(t−τ), not w_(t−τ−1)":
        "décalage de un : le point retardé est w_(t−τ), pas w_(t−τ−1)",
    "no step while t < τ: until then the gradient is taken at w₀":
        "aucun pas tant que t < τ : jusque-là, le gradient est pris en w₀",
    "∇f(w) = Aw − b, A=[[2, .5], [.5, 1]], b=[1, −1], w0={w0}, η={eta}, τ={tau}, "
    "steps={steps}":
        "∇f(w) = Aw − b, A=[[2, .5], [.5, 1]], b=[1, −1], w0={w0}, η={eta}, τ={tau}, "
        "steps={steps}",
    "the trajectory with τ = 0": "la trajectoire avec τ = 0",
    "L = ¼ maxᵢ‖xᵢ‖² with an RDD max": "L = ¼ maxᵢ‖xᵢ‖² avec un max sur un RDD",
    "L = ¼ maxᵢ‖xᵢ‖²": "L = ¼ maxᵢ‖xᵢ‖²",
    "{n} points in {partitions} partitions": "{n} points dans {partitions} partitions",
    "the factor ¼ is missing": "le facteur ¼ manque",
    "‖xᵢ‖ where its square ‖xᵢ‖² is needed": "‖xᵢ‖ là où son carré ‖xᵢ‖² est attendu",
    "returned the step 1/L, not L": "vous avez renvoyé le pas 1/L, pas L",
    "the mean of ‖xᵢ‖², not the maximum": "la moyenne des ‖xᵢ‖², pas le maximum",
    "the maximum of each feature, then summed: take the largest ‖xᵢ‖² over the rows":
        "le maximum de chaque variable, puis la somme : prenez le plus grand ‖xᵢ‖² sur les "
        "lignes",
    "every churner kept, a seeded fraction of the others":
        "tous les clients partis gardés, une fraction tirée (graine fixe) des autres",
    "rebalance should return an RDD (a transformation, not collected); got {kind}":
        "rebalance doit renvoyer un RDD (une transformation, non collectée) ; reçu {kind}",
    "{{label: count}} after rebalance": "{{étiquette: nombre}} après rebalance",
    "{n} points in {partitions} partitions, class sizes {sizes}, fraction={fraction}, "
    "seed={seed}":
        "{n} points dans {partitions} partitions, tailles des classes {sizes}, "
        "fraction={fraction}, graine={seed}",
    "the fraction was applied to the churners (+1): keep every +1 point, sample the −1 ones":
        "la fraction a été appliquée aux clients partis (+1) : gardez tous les points +1, "
        "échantillonnez les −1",
    "every −1 point was dropped: keep each with probability fraction":
        "tous les points −1 ont été supprimés : gardez chacun avec la probabilité fraction",
    "the sample is not the seeded sampleByKey(False, {{1.0: 1.0, -1.0: fraction}}, seed)":
        "l'échantillon n'est pas celui de sampleByKey(False, {{1.0: 1.0, -1.0: fraction}}, "
        "seed) avec la graine donnée",
    "the cost model with fewer partitions than cores, rows not divisible":
        "le modèle de coût avec moins de partitions que de cœurs, des lignes non divisibles",
    "treeAggregate's tree for more partitions and deeper trees":
        "l'arbre de treeAggregate pour plus de partitions et des arbres plus profonds",
    "more slots than tasks, and a single slot":
        "plus d'emplacements que de tâches, et un seul emplacement",
    "a staleness longer than the run: every gradient at w₀":
        "un retard plus long que l'exécution : tous les gradients en w₀",
    "the trajectory with τ > steps": "la trajectoire avec τ > steps",
    "on w²/2, η = 0.3 stays bounded with τ = 4; η = 0.5 diverges with τ = 4":
        "sur w²/2, η = 0,3 reste bornée avec τ = 4 ; η = 0,5 diverge avec τ = 4",
    "the trajectory with η = {eta}, τ = {tau}": "la trajectoire avec η = {eta}, τ = {tau}",
    "η = 0.3, τ = 4 on w²/2 should stay bounded by |w₀| = 1":
        "η = 0,3, τ = 4 sur w²/2 devrait rester bornée par |w₀| = 1",
    "η = 0.5, τ = 4 on w²/2 should diverge": "η = 0,5, τ = 4 sur w²/2 devrait diverger",
    "|w₈₀| with η = {eta}, τ = {tau}": "|w₈₀| avec η = {eta}, τ = {tau}",
    "f(w) = w²/2, w₀ = 1: without delay η = 0.5 converges":
        "f(w) = w²/2, w₀ = 1 : sans retard, η = 0,5 converge",
    "L with more partitions than rows": "L avec plus de partitions que de lignes",
    "about a fraction of the −1 points kept, 4 partitions":
        "environ une fraction des points −1 gardée, 4 partitions",
    "the number of −1 points kept": "le nombre de points −1 gardés",
    "{n} points labelled −1, fraction 0.1": "{n} points d'étiquette −1, fraction 0,1",
}
