"""Textes français des pages (mêmes clés que :mod:`stepper.pages.strings.en`)."""

STRINGS: dict[str, str] = {
    # -- la langue ------------------------------------------------------------------------------
    "i18n.unknown": "Langue inconnue ?lang={value} : les choix sont {choices} ; la page est en "
                    "anglais.",
    "i18n.switch_title": "Afficher cette page en français",

    # -- quelle J ------------------------------------------------------------------------------
    "objective.lessons": "**Quelle J ?** Sur cette page, la pénalité laisse de côté l'intercept "
                         "b : J(w) = (1/n) Σᵢ ℓᵢ(w) + λ₁ R₁(w₁, …, w_d) + (λ₂/2)(w₁² + … + w_d²). "
                         "Les exercices et leur correcteur pénalisent toutes les coordonnées, "
                         "b compris.",
    "objective.lessons_unpenalized": "**Quelle J ?** Cette page tourne sans pénalité (λ = 0) : "
                                     "J(w) = (1/n) Σᵢ ℓᵢ(w), avec ℓᵢ(w) = log(1 + exp(−yᵢ wᵀxᵢ)). "
                                     "Quand une pénalité est activée, elle laisse de côté "
                                     "l'intercept b ; les exercices et leur correcteur "
                                     "pénalisent toutes les coordonnées, b compris.",

    # -- questions ------------------------------------------------------------------------------
    "question.heading": "D'abord, prédire",
    "question.commit": "Valider cette réponse",
    "question.reveal": "Révéler",
    "question.number_placeholder": "votre estimation",
    "question.pick_first": "Choisissez d'abord une réponse.",
    "question.not_a_number": "{value!r} n'est pas un nombre : tapez-en un, par exemple 12 ou "
                             "0,5.",
    "question.committed": "Votre réponse : {answer}. Le résultat s'affiche ci-dessous.",
    "question.waiting": "Votre réponse : {answer}. En attente de la révélation par "
                        "l'animateur.",
    "question.right": "Exact.",
    "question.wrong": "Pas tout à fait : la réponse est {answer}.",
    "question.close": "Assez proche : la réponse est {answer}.",
    "question.far": "La réponse est {answer} (vous avez dit {given}).",
    "question.counts": "Réponses jusqu'ici : {counts}",
    "question.count": "{answer} : {count}",
    "question.no_answer": "sans réponse",
    "question.pending": "Votre réponse est enregistrée ; le résultat s'affiche dès que la page "
                        "l'a calculé.",
    "question.unavailable": "Cette réponse n'a pas pu être calculée : {error}",

    # -- liens ----------------------------------------------------------------------------------
    "link.index": "← Sommaire",
    "link.lesson0": "Leçon 0",
    "link.lesson1": "Leçon 1",
    "link.lesson2": "Leçon 2",
    "link.next_lesson1": "Leçon 1 →",
    "link.next_lesson2": "Leçon 2 →",
    "link.next_lesson3": "Leçon 3 →",
    "link.next_lesson4": "Leçon 4 →",
    "link.exercise": "Exercices de cette leçon : {name} (s'ouvre dans JupyterLab)",

    # -- sommaire -------------------------------------------------------------------------------
    "index.title": "Optimisation distribuée avec Apache Spark, pas à pas",
    "index.subtitle": "Sortir de leur boîte noire les optimiseurs qui ajustent un modèle — "
                      "d'abord sur une machine, puis sur un cluster.",
    "index.lesson0.title": "0. L'environnement et les bases de Spark",
    "index.lesson0.text": "Spark sur cette machine et son interface, le vocabulaire de Spark ; "
                          "les données de churn : transformations et actions, count, filter, "
                          "map, la part de churners, le centrage-réduction par map + reduce, un "
                          "découpage avec graine.",
    "index.lesson0.note": "démarre Spark (environ 10 s)",
    "index.lesson1.title": "1. Les algorithmes de gradient sur une machine",
    "index.lesson1.text": "La perte logistique et ses oracles, le conditionnement, Newton, la "
                          "descente de gradient avec 1/L et le pas spectral, momentum, Nesterov, "
                          "ridge, lasso (lissé et exact), elastic net, SGD et mini-lots, le pas "
                          "d'apprentissage, frontière de décision et matrice de confusion — pas "
                          "à pas.",
    "index.lesson1.note": "numpy seul, sans Spark",
    "index.lesson2.title": "2. La descente de gradient distribuée, pas à pas",
    "index.lesson2.text": "Une itération de map-reduce sur Spark, phase par phase : broadcast, "
                          "gradients par partition, l'arbre de réduction, la barrière ; "
                          "partitions, profondeur de l'arbre, échantillonnage en mini-lots ; "
                          "les données de churn avec l'algorithme de votre choix.",
    "index.lesson2.note": "démarre Spark (environ 10 s)",
    "index.not_available": "(pas encore disponible)",
    "index.exercises": "Exercices",
    "index.spark": "Spark",
    "index.credit_title": "Crédits",
    "index.spark.not_installed": "non installé",
    "index.spark.running": "en marche",
    "index.spark.stopped": "à l'arrêt : elle démarre avec une leçon qui utilise Spark (0 ou 2) ; "
                           "une deuxième leçon ouverte en même temps prend le port suivant "
                           "(4041, …)",
    "index.spark.version": "Spark {version} (PySpark, en mode local sauf si {variable} dit "
                           "autre chose)",
    "index.spark.ui": "Interface web de Spark :",
    "index.exercises.open": "ouvrir {folder}/ dans JupyterLab",
    "index.exercises.text": "Les exercices, modifiables dans JupyterLab : {link}. Vos notebooks "
                            "sont enregistrés dans ce dossier ; le bouton {check} de chaque "
                            "tâche (ou la cellule {cell}) donne ses points.",
    "index.check_again": "Vérifier à nouveau l'interface Spark",
    "index.intro": "Chaque leçon est une page : lisez-la de haut en bas, répondez aux questions "
                   "avant que la page ne montre le résultat, appuyez sur les boutons, déplacez "
                   "les curseurs. En salle, ajoutez `?present=1` à l'adresse d'une leçon pour "
                   "la mise en page du vidéoprojecteur, et `?lang=en` pour l'anglais. Les "
                   "exercices qui accompagnent les leçons sont dans le dossier `exercises/fr/` (en "
                   "anglais : `exercises/`).",
    "index.credit": "D'après l'atelier *« Optimisation distribuée avec Apache Spark »* de "
                    "**Yann Vernaz**, présenté au meetup machine learning de Pau en 2017 "
                    "(labs 0 à 2 et diapositives : machine-learning-pau/distributed-optimization).",

    # -- leçon 0 --------------------------------------------------------------------------------
    "lesson0.title": "Leçon 0 · L'environnement et les bases de Spark",
    "lesson0.subtitle": "Le Lab 0 de l'atelier : Spark sur cette machine et les données de "
                        "churn.",
    "lesson0.intro": "**Au programme.** Spark qui tourne sur cette machine, son interface web, "
                     "et les données de churn manipulées avec l'API RDD : lire un fichier, "
                     "transformations et actions, compter et filtrer, centrer-réduire les "
                     "variables avec un map et un reduce, et un découpage apprentissage/test "
                     "reproductible. Chaque carte montre le code exécuté et ce qu'il a renvoyé.",
    "lesson0.churn_data": "## Les données de churn\n\nUn extrait (synthétique) des cartes de "
                          "fidélité d'une enseigne alimentaire : une ligne par client, "
                          "l'étiquette `churn` (1 = le client est parti) et {count} variables : "
                          "points de fidélité acquis (`meanAcquiredPts`) et convertis "
                          "(`meanConvertedPts`), ancienneté de la relation en jours "
                          "(`relationLength`), fréquence des visites (`meanFreq`) et sa "
                          "dispersion (`stdFreq`), articles par panier (`meanArticle`) et leur "
                          "dispersion (`stdArticle`), montant par panier (`meanAmount`) et sa "
                          "dispersion (`stdAmount`), nombre de visites (`nbVisits`), jours "
                          "depuis la dernière visite (`lastTime`). Voir `data/README.md` pour "
                          "leur fabrication.",
    "lesson0.prepare": "## Préparer les données pour l'optimisation\n\nLes méthodes de gradient "
                       "convergent bien plus vite quand les variables ont des échelles "
                       "comparables : la leçon 1 montre pourquoi (le conditionnement de ∇²J). "
                       "Chaque variable est centrée puis divisée par son écart-type, calculés "
                       "sur le cluster par map + reduce ; une constante 1 est placée en tête "
                       "pour l'intercept. Enfin les points sont répartis au hasard entre un "
                       "jeu d'apprentissage et un jeu de test.",
    "lesson0.next": "**Suite :** [Leçon 1 — les algorithmes de gradient sur une machine]"
                    "(01_gradient_methods.ipynb).",
    "lesson0.glossary.title": "## Le vocabulaire de Spark",
    "lesson0.glossary.driver": "**Driver** (pilote) : le programme Python (ici, le noyau de "
                               "cette page) qui construit le calcul et en récupère les "
                               "résultats.",
    "lesson0.glossary.executor": "**Exécuteur** : un processus de travail (une JVM) qui exécute "
                                 "les tâches ; en mode local, c'est la JVM du driver, avec un "
                                 "emplacement par cœur.",
    "lesson0.glossary.partition": "**Partition** : une tranche des lignes d'un RDD ; chaque "
                                  "partition est traitée par une tâche.",
    "lesson0.glossary.task": "**Tâche** : le travail sur une partition, confié à un emplacement "
                             "d'exécuteur.",
    "lesson0.glossary.stage": "**Étape** (stage) : les tâches qui s'exécutent sans échanger de "
                              "données, une par partition ; un shuffle termine une étape.",
    "lesson0.glossary.job": "**Job** : ce que déclenche une action (`count`, `reduce`, "
                            "`collect` …) : une ou plusieurs étapes.",
    "lesson0.glossary.shuffle": "**Shuffle** (redistribution) : des lignes ou des résultats "
                                "partiels redistribués entre exécuteurs (par clé, ou pour "
                                "combiner des sommes partielles), écrits puis relus par le "
                                "réseau.",
    "lesson0.glossary.broadcast": "**Broadcast** (diffusion) : une valeur en lecture seule "
                                  "envoyée une fois à chaque exécuteur (`sc.broadcast`) au lieu "
                                  "de l'être avec chaque tâche.",
    "lesson0.glossary.caption": "L'interface web de Spark montrant un job (un `count` sur "
                                "{partitions} partitions) : une étape, {partitions} tâches. "
                                "Ouvrez l'interface vous-même depuis le lien de la première "
                                "carte.",
    "lesson0.glossary.no_picture": "(L'image de l'interface Spark manque : lancez "
                                   "`python tools/spark_ui_screenshot.py` pour la produire.)",
    "lesson0.exercise": "fr/00_spark_basics.ipynb",
    "lesson0.q.lazy.prompt": "`sc.textFile(path)` vient de rendre la main. Combien de lignes du "
                             "fichier Spark a-t-il lues jusqu'ici ?",
    "lesson0.q.lazy.none": "aucune",
    "lesson0.q.lazy.first": "celles de la première partition",
    "lesson0.q.lazy.all": "toutes",
    "lesson0.q.lazy.explain": "Une transformation n'enregistre qu'une recette : `textFile` a "
                              "lancé {jobs} job Spark. Les lignes sont lues quand une action "
                              "(comme `count`) s'exécute.",
    "lesson0.q.recount.prompt": "Sans `cache()`, on appelle deux fois `points.count()`. Combien "
                                "de fois chaque ligne est-elle analysée ?",
    "lesson0.q.recount.once": "une fois",
    "lesson0.q.recount.twice": "deux fois",
    "lesson0.q.recount.explain": "Chaque action recalcule le RDD depuis le fichier : "
                                 "{after_second} analyses pour {rows} lignes après deux count ; "
                                 "`cache()` garde les lignes analysées et évite cela.",
    "lesson0.q.share.prompt": "Quel pourcentage des clients est parti (churn) ?",
    "lesson0.q.share.explain": "{churners} clients sur {rows} sont partis : les churners sont "
                               "rares, d'où le rééquilibrage des classes de la leçon 2.",

    # -- leçon 1 --------------------------------------------------------------------------------
    "lesson1.title": "Leçon 1 · Les algorithmes de gradient sur une machine",
    "lesson1.subtitle": "Le Lab 1 de l'atelier : régression logistique sur des données 2-D, "
                        "numpy seul (pas de Spark sur cette page).",
    "lesson1.intro": "**Au programme.** Comment un optimiseur ajuste une régression logistique, "
                     "méthode par méthode : la perte et ses trois *oracles* (J, ∇J, ∇²J), "
                     "pourquoi centrer-réduire les variables, la méthode de Newton, la descente "
                     "de gradient avec les pas sûrs 1/L et 1/L_spec, le momentum et Nesterov, "
                     "les pénalités (ridge, lasso, elastic net), les gradients stochastiques et "
                     "par mini-lots, et l'effet du pas d'apprentissage. Tout tourne ici sur une "
                     "machine avec numpy ; la leçon 2 exécute les mêmes mises à jour sur Spark.",
    "lesson1.exercise": "fr/01_oracles.ipynb",
    "lesson1.data": "## 1. Les données\n\n1000 lignes d'apprentissage et 300 de test tirées "
                    "d'une règle linéaire : x₁ ~ N(1, 2²), x₂ ~ N(4, 4²), "
                    "v = 2 + 3·x₁ − x₂ + bruit, étiquette +1 quand σ(v) > ½ (sinon −1). Les "
                    "variables sont centrées-réduites avec les moyennes et écarts-types du jeu "
                    "d'apprentissage, et une constante 1 est placée en tête : les poids sont "
                    "**w = (b, w₁, w₂)**.",
    "lesson1.oracles": "## 2. La perte logistique et ses oracles\n\nAvec des étiquettes "
                       "yᵢ ∈ {{−1, +1}}, la marge mᵢ = yᵢ wᵀxᵢ et la perte par ligne "
                       "ℓᵢ(w) = log(1 + exp(−mᵢ)) :\n\n"
                       "* **J(w)** = (1/n) Σᵢ ℓᵢ(w) + λ₁ R₁(w) + (λ₂/2) ‖w‖²\n"
                       "* **∇J(w)** = (1/n) Σᵢ ∇ℓᵢ(w) + (gradient de la pénalité), avec "
                       "∇ℓᵢ(w) = −σ(−mᵢ) yᵢ xᵢ\n"
                       "* **∇²J(w)** = (1/n) Σᵢ σ(mᵢ) σ(−mᵢ) xᵢ xᵢᵀ + (hessienne de la "
                       "pénalité)\n\n"
                       "où σ(t) = 1 / (1 + e⁻ᵗ) et les pénalités laissent b de côté (‖w‖² "
                       "désigne w₁² + … + w_d²). La hessienne est semi-définie positive (chaque "
                       "σ(m)σ(−m) ≥ 0) : la perte est **convexe**, donc tout minimum est le "
                       "minimum global. Un optimiseur ne pose jamais que ces trois questions à "
                       "J, d'où le nom d'*oracles*. Les comparer aux différences finies est la "
                       "première chose à faire avec des oracles écrits à la main.",
    "lesson1.conditioning": "## Pourquoi centrer-réduire : le conditionnement\n\nLa descente "
                            "de gradient est lente quand J est une longue vallée étroite : le "
                            "rapport κ = λmax / λmin des valeurs propres de ∇²J (le "
                            "*conditionnement*) mesure cette étroitesse. En w = 0, "
                            "∇²J(0) = ¼ XᵀX / n. Sur les variables brutes (x₁, x₂ avec un "
                            "intercept) κ = **{raw:.1f}** ; centrées-réduites, "
                            "κ = **{standardized:.3f}**. Après {steps} itérations de descente de "
                            "gradient (dans chaque cas avec son pas spectral 1/L_spec), "
                            "J − J* vaut {gap_raw:.1e} sur les variables brutes et {gap_std:.1e} "
                            "centrées-réduites.",
    "lesson1.newton": "## 3. La méthode de Newton\n\nw ← w − [∇²J(w)]⁻¹ ∇J(w) : un modèle "
                      "quadratique de J minimisé exactement à chaque pas. Près du minimum, le "
                      "nombre de chiffres exacts double à chaque itération (voir ‖∇J‖ "
                      "ci-dessous), mais chaque pas résout un système linéaire d × d : "
                      "facile pour d = 3, hors de portée pour des millions de poids.\n\n"
                      "Les méthodes *quasi-Newton* gardent plutôt une approximation B de "
                      "l'inverse de la hessienne, mise à jour à partir de s = w⁺ − w et "
                      "r = ∇J(w⁺) − ∇J(w) (BFGS, avec ρ = 1 / rᵀs) : "
                      "B⁺ = (I − ρ s rᵀ) B (I − ρ r sᵀ) + ρ s sᵀ. L-BFGS ne garde que les "
                      "dernières paires (s, r).",
    "lesson1.methods": "## 4. Les méthodes de gradient, pas à pas\n\n"
                       "* **Descente de gradient** : w ← w − η ∇J(w). Avec η = **1/L**, où "
                       "L = ¼·maxᵢ‖xᵢ‖² majore la constante de Lipschitz de ∇J pour la perte "
                       "seule, J décroît à chaque pas (quelles que soient les données). Avec "
                       "une pénalité, la borne devient L + λ₂ (ridge), plus λ₁ pour le lasso "
                       "lissé (la courbure de la pseudo-Huber vaut au plus λ₁) : "
                       "l'explorateur prend le pas 1/(L + λ₂ + λ₁).\n"
                       "* **Momentum** (μ = 0,9) : v ← μ v + η ∇J(w), w ← w − v — les pas "
                       "prennent de l'élan dans les directions qui gardent le même signe.\n"
                       "* **Nesterov** (μ = 0,9) : la même chose, avec le gradient pris là où "
                       "l'élan va nous porter : ∇J(w − μ v).\n"
                       "* **SGD** : le gradient d'une seule ligne tirée uniformément au hasard "
                       "au lieu des n (n fois moins cher, bruité).\n"
                       "* **Mini-lot** : le gradient sur un échantillon aléatoire de lignes. "
                       "Trois façons de le tirer apparaissent dans cet atelier : ici, chaque "
                       "ligne est gardée avec une probabilité de 1 % (*tirage de Bernoulli "
                       "sans remise*, une dizaine de lignes, parfois aucune : le pas est alors "
                       "sauté) ; sur Spark (leçon 2, exercice 2.7), `RDD.sample(True, f)` tire "
                       "chaque ligne un nombre de fois suivant une loi de Poisson(f) (*avec "
                       "remise*) ; le Lab 1 d'origine prenait *exactement* 10 lignes.\n\n"
                       "**À vous.** Choisissez une méthode, une pénalité et un pas (en multiples "
                       "du pas sûr), puis parcourez les 200 itérations : la perte, le chemin de "
                       "(w₁, w₂) sur les lignes de niveau de J, la frontière de décision sur le "
                       "jeu de test et la matrice de confusion suivent l'itération courante. "
                       "Poussez le pas tout à droite pour voir une exécution **trop rapide**.",
    "lesson1.learning_rate": "## 5. Le pas d'apprentissage : trop petit, sûr, spectral, trop "
                             "grand\n\nLa même descente de gradient depuis le même départ avec "
                             "quatre pas. La borne L = ¼·maxᵢ‖xᵢ‖² = {L:.3f} est sûre mais "
                             "pessimiste. Pour la perte logistique σ(m)σ(−m) ≤ ¼, avec "
                             "égalité en m = 0, donc ∇²J(w) ≼ ∇²J(0) pour tout w : "
                             "**L_spec = λmax(∇²J(0)) = {spectral:.4f} est la constante de "
                             "Lipschitz globale exacte (spectrale) de ∇J**, et le pas 1/L_spec "
                             "est aussi sûr que 1/L tout en étant {ratio:.1f} fois plus grand. "
                             "Sur Spark, il coûte un reduce d × d de Σ xᵢxᵢᵀ (le "
                             "`lr=\"spectral\"` du moteur). Un pas bien trop grand dépasse le "
                             "minimum : J remonte et les itérés rebondissent.",
    "lesson1.lr.small": "trop petit : η = 0,1/L",
    "lesson1.lr.safe": "sûr : η = 1/L",
    "lesson1.lr.spectral": "spectral : η = 1/L_spec ≈ {ratio:.0f}/L",
    "lesson1.lr.large": "trop grand : η = 1000/L",
    "lesson1.comparison": "## 6. Toutes les méthodes comparées\n\n200 itérations de chaque "
                          "méthode depuis le même départ aléatoire avec le pas sûr (Newton : "
                          "12 pas, pas complet). L'axe vertical est l'écart à l'optimum, "
                          "J(w_k) − J*, en échelle logarithmique : une droite est une "
                          "convergence *linéaire*, une courbe qui plonge la convergence "
                          "*quadratique* de Newton, et les méthodes stochastiques stagnent à "
                          "un plancher de bruit fixé par le pas.",
    "lesson1.regularization": "## 7. Ridge, lasso et elastic net\n\nLa pénalité tire les poids "
                              "w₁ … w_d vers 0 (l'intercept b n'est pas pénalisé) : ridge "
                              "(λ₂/2)‖w‖² les réduit tous, elastic net combine les deux. Comme "
                              "dans l'atelier, le lasso λ₁‖w‖₁ est traité ici par "
                              "l'approximation lisse pseudo-Huber λ₁ Σ (√(1 + wᵢ²) − 1), de "
                              "gradient λ₁ wᵢ / √(1 + wᵢ²), pour que Newton s'applique à tous "
                              "les problèmes. Cette pénalité lisse ne met jamais un poids "
                              "exactement à 0 : près de 0 elle vaut ≈ λ₁wᵢ²/2, comme une "
                              "ridge. Le lasso exact demande le pas **proximal** (seuillage "
                              "doux, prox(v)ᵢ = signe(vᵢ) max(|vᵢ| − ηλ₁, 0)) : le tableau "
                              "ci-dessous compare les deux sur ces données pour λ₁ croissant.",
    "lesson1.lasso.caption": "Poids à l'optimum : pseudo-Huber lisse (Newton) contre L1 exacte "
                             "(gradient proximal) ; zéros exacts en gras",
    "lesson1.lasso.lambda": "λ₁",
    "lesson1.lasso.smooth": "pseudo-Huber (w₁, w₂)",
    "lesson1.lasso.prox": "L1 exacte, prox (w₁, w₂)",
    "lesson1.tradeoffs": "## 8. Quelle méthode, quand ?\n\n"
                         "| | précision | temps par itération | mémoire | apprentissage en "
                         "ligne |\n"
                         "|---|---|---|---|---|\n"
                         "| **second ordre** (Newton) | très haute, en peu d'itérations | "
                         "élevé : O(n·d² + d³) | élevée : hessienne d × d | non |\n"
                         "| **batch** (GD, momentum, Nesterov) | haute | O(n·d) | toutes les "
                         "données | non |\n"
                         "| **stochastique** (SGD) | faible (bruitée) | O(d) | une ligne | "
                         "oui |\n"
                         "| **mini-lot** | moyenne | O(m·d) | m lignes | oui |\n\n"
                         "Mesuré sur cette machine, pour ces données :",
    "lesson1.advice": "**Le conseil de l'atelier.** Quand les données tiennent en mémoire, "
                      "prenez une méthode batch (ou L-BFGS, le gradient conjugué) ; sinon, des "
                      "mini-lots. Pour aller plus loin sur les pas adaptatifs : AdaGrad, "
                      "RMSProp, Adam et AdaMax, Nadam, Adadelta, kSGD.",
    "lesson1.next": "**Suite :** [Leçon 2 — la descente de gradient distribuée sur Spark]"
                    "(02_distributed_gd.ipynb).",
    "lesson1.q.spectral.prompt": "Combien de fois plus grand que le pas sûr 1/L est le pas "
                                 "spectral 1/λmax(∇²J(0)) sur ces données ?",
    "lesson1.q.spectral.explain": "L / L_spec = {L:.3f} / {spectral:.4f} = {ratio:.1f} : la "
                                  "borne ¼·maxᵢ‖xᵢ‖² se règle sur la ligne la plus longue, la "
                                  "constante spectrale sur la dispersion réelle des données.",
    "lesson1.q.condition.prompt": "Sur les variables brutes, que vaut le conditionnement de "
                                  "∇²J(0) (centrées-réduites : environ 1) ?",
    "lesson1.q.condition.same": "environ 1 aussi",
    "lesson1.q.condition.ten": "environ 10",
    "lesson1.q.condition.seventy": "environ 70",
    "lesson1.q.condition.thousand": "environ 1000",
    "lesson1.q.condition.explain": "κ = {raw:.1f} en brut contre {standardized:.3f} "
                                   "centré-réduit : la dispersion de x₂ (4) et des moyennes "
                                   "loin de 0 étirent la vallée.",
    "lesson1.q.lasso.prompt": "Avec le lasso lissé (pseudo-Huber) et un grand λ₁, un poids "
                              "devient-il exactement nul ?",
    "lesson1.q.lasso.yes": "oui, certains",
    "lesson1.q.lasso.no": "non, jamais exactement",
    "lesson1.q.lasso.explain": "Le gradient de la pénalité lisse s'annule en 0 : elle ne fait "
                               "que rétrécir ; le pas proximal met des poids exactement à 0 "
                               "({zeros} zéros dans le tableau au plus grand λ₁).",
    "lesson1.q.overshoot.prompt": "Descente de gradient avec η = 1000/L : que devient J ?",
    "lesson1.q.overshoot.fast": "elle converge plus vite",
    "lesson1.q.overshoot.up": "J remonte : les itérés dépassent le minimum",
    "lesson1.q.overshoot.same": "rien ne change",
    "lesson1.q.overshoot.explain": "{verdict}",

    # -- leçon 2 --------------------------------------------------------------------------------
    "lesson2.title": "Leçon 2 · La descente de gradient distribuée, pas à pas",
    "lesson2.subtitle": "Le Lab 2 de l'atelier : la même descente de gradient sur "
                        "Spark, une phase à la fois.",
    "lesson2.exercise": "fr/02_distributed_gd.ipynb",
    "lesson2.intro": "Une itération de descente de gradient batch sur Spark est un "
                     "**map-reduce**. Les lignes sont découpées en *partitions* ; le gradient de "
                     "la perte logistique est une somme sur les lignes, donc une somme sur les "
                     "partitions :\n\n"
                     "∇J(w) = (1/n) Σₚ [ Σ~i∈p~ ∇ℓᵢ(w) ]  (le crochet est la tâche de la "
                     "partition p ; cette page est sans pénalité, λ = 0)\n\n"
                     "1. **broadcast** : le driver envoie les poids courants w aux tâches (une "
                     "fois par itération) ;\n"
                     "2. **map** : la tâche de chaque partition somme ∇ℓᵢ(w) sur ses propres "
                     "lignes — en parallèle ;\n"
                     "3. **reduce** : les sommes partielles sont additionnées (`treeAggregate` : "
                     "avec assez de partitions, d'abord dans des tâches d'exécuteurs après un "
                     "shuffle, puis sur le driver ; avec peu de partitions, tout sur le "
                     "driver) ;\n"
                     "4. **mise à jour** : le driver divise par n et se déplace : "
                     "w ← w − η ∇J(w).\n\n"
                     "Ci-dessous, les données 2-D de l'atelier (1000 lignes, y = ±1, variables "
                     "centrées-réduites, un intercept) sont découpées en partitions et chaque "
                     "phase de chaque itération est enregistrée telle que Spark l'a exécutée. "
                     "Appuyez sur **Pas** (ou →) pour parcourir une itération phase par phase ; "
                     "**Retour** (←) rejoue instantanément.",
    "lesson2.views": "## Lire les vues\n\n"
                     "* **Flux de données** (en haut) : la phase en cours est entourée en "
                     "orange ; la phrase en dessous dit ce qui se passe.\n"
                     "* **Lignes de niveau** : la perte en fonction de (w₁, w₂), l'intercept à "
                     "son optimum ; l'étoile est w*. Pendant le *map*, chaque partition ajoute "
                     "sa flèche −η ∇J_p(w)/n, bout à bout, dans sa couleur : le reduce est "
                     "exactement la somme de ces flèches. À la *mise à jour*, la flèche rouge "
                     "est le déplacement du driver (avec momentum, ce n'est pas seulement la "
                     "somme).\n"
                     "* **Arbre de réduction** : l'arbre que `treeAggregate` a construit pour ce "
                     "nombre de partitions et cette profondeur, enregistré pendant que Spark "
                     "l'exécutait, avec chaque somme partielle de la perte Σ ℓᵢ. Avec 8 "
                     "partitions et une profondeur 2, les exécuteurs combinent d'abord deux "
                     "groupes de quatre (un shuffle), puis le driver additionne les deux "
                     "résultats. Avec une profondeur 1, chaque somme partielle va directement "
                     "au driver.\n"
                     "* **Chronologie des tâches** : quand la tâche de chaque partition a "
                     "tourné, par emplacement d'exécuteur (en mode local, l'exécuteur est la "
                     "JVM du driver, avec un emplacement par cœur). La ligne rouge en "
                     "pointillés est la **barrière de synchronisation** : le reduce ne peut "
                     "pas finir avant la dernière tâche, donc la dernière tâche à finir donne "
                     "le rythme de chaque itération.\n"
                     "* **Perte** : J(w_k) pour chaque itération enregistrée ; le curseur "
                     "rouge indique où vous êtes.\n\n"
                     "Changez les **partitions**, la **profondeur de l'arbre** ou "
                     "l'**algorithme** à n'importe quelle itération : l'exécution reprend de "
                     "là avec le nouveau réglage (les itérations suivantes sont recalculées).",
    "lesson2.partitioning": "## Le même résultat quel que soit le découpage\n\nL'addition est "
                            "associative : découper les lignes autrement ne change que *l'endroit* "
                            "où les sommes partielles sont additionnées, pas la somme. Les poids "
                            "concordent aux derniers bits près de la virgule flottante (l'ordre "
                            "des additions change l'arrondi, environ 10⁻¹⁶). Le bouton lance 3 "
                            "itérations de descente de gradient sur 1, 3 et 8 partitions.",
    "lesson2.compare_button": "Comparer 1, 3 et 8 partitions",
    "lesson2.comparing": "3 itérations, trois fois, sur Spark…",
    "lesson2.broadcast": "## Comment w parvient aux tâches\n\nÀ chaque itération, les tâches ont "
                         "besoin des poids courants. Le moteur mesure la charge utile (w, et ce "
                         "que la méthode envoie en plus) et choisit la voie : une charge de "
                         "moins de {limit} octets voyage **dans la tâche** (dans sa "
                         "fermeture) ; Spark sérialise la fermeture une fois par étape en un "
                         "*binaire de tâche*, qu'il diffuse lui-même, si bien que chaque "
                         "exécuteur le récupère une fois. Une charge plus grosse passe par un "
                         "`sc.broadcast(payload)` explicite, détruit après le pas. Ici la charge "
                         "fait **{bytes} octets, envoyés {via}** : la narration de la phase "
                         "*broadcast* ci-dessus indique la voie prise à chaque itération. Pour "
                         "un modèle à des millions de poids, ce sont des mégaoctets à chaque "
                         "itération : une méthode synchrone est limitée par la communication "
                         "autant que par le calcul.",
    "lesson2.via.task": "dans la tâche",
    "lesson2.via.broadcast": "par sc.broadcast",
    "lesson2.via.none": "nulle part (une simulation sur le driver)",
    "lesson2.minibatch": "## Mini-lots par échantillonnage\n\nChoisissez l'algorithme "
                         "**mini-lot** : à chaque itération, chaque partition tire sa part d'un "
                         "échantillon aléatoire avec le `RDD.sample(True, fraction, seed)` de "
                         "Spark (avec remise : chaque ligne est tirée un nombre de fois suivant "
                         "une loi de Poisson(fraction)) et ne somme le gradient que sur "
                         "l'échantillon (la narration du *map* indique combien de lignes chaque "
                         "partition a utilisées). Le calcul du gradient coûte O(md) au lieu de "
                         "O(nd), mais l'échantillonneur tire un nombre aléatoire par ligne : "
                         "chaque tâche **parcourt encore toute sa partition, O(n) par "
                         "itération**. Par défaut, chaque tâche calcule aussi l'objectif complet "
                         "pour la courbe de perte ; décochez **objectif complet** pour s'en "
                         "passer : la courbe montre alors l'estimation de l'échantillon, "
                         "étiquetée comme telle. Le chemin sur les lignes de niveau devient "
                         "bruité, et le job garde sa barrière : chaque itération attend toutes "
                         "les partitions, même celles qui ont tiré peu de lignes.",
    "lesson2.full_objective": "objectif complet",
    "lesson2.full_objective_help": "calculer J sur toutes les lignes dans chaque tâche (sinon : "
                                   "l'estimation de l'échantillon)",
    "lesson2.loss.full": "J(w_k) sur toutes les lignes",
    "lesson2.loss.estimate": "estimation de J(w_k) sur l'échantillon (objectif complet décoché)",
    "lesson2.barrier": "## La barrière de synchronisation\n\nRéglez **Tâche lente** sur *la "
                       "partition 2 prend +0,3 s* et parcourez une itération : dans la "
                       "chronologie, toutes les autres tâches ont fini bien avant la partition "
                       "2, et le driver attend. Sur un cluster, une machine lente ou surchargée "
                       "ralentit ainsi chaque itération ; les méthodes asynchrones (Hogwild!, "
                       "Niu et al. 2011 ; Downpour SGD avec un serveur de paramètres, Dean et "
                       "al. 2012) renoncent à la barrière, au prix de gradients calculés sur "
                       "des poids périmés.",
    "lesson2.churn": "## Sur les données de churn : choisir l'algorithme, comparer les "
                     "exécutions\n\nLe cas pratique de l'atelier : 20 000 clients d'une "
                     "enseigne, {count} variables, l'étiquette *churn* (1 = parti). Les "
                     "churners sont rares : les classes sont rééquilibrées comme dans "
                     "l'atelier, en gardant tous les churners et 10 % des autres "
                     "(échantillonnage stratifié), puis on centre-réduit, on ajoute un "
                     "intercept et on découpe en 90 / 10. Choisissez l'algorithme, puis "
                     "avancez : l'exécution utilise 4 partitions et une ridge λ₂ = 0,005 (sur "
                     "w₁ … w_d, pas sur l'intercept) ; un clic vaut une itération. Les barres "
                     "sont le gradient de chaque partition pour les six poids au plus grand "
                     "gradient ; le tableau est la matrice de confusion du jeu de test aux "
                     "poids courants ; la dernière figure compare les courbes de perte de "
                     "toutes les exécutions faites jusqu'ici.",
    "lesson2.churn_press": "Appuyez sur Pas ci-dessous : les données de churn sont chargées sur "
                           "Spark au premier pas (environ 10 s).",
    "lesson2.churn_info": "{rows} clients, {churners} churners ({share:.1f} %) ; après "
                          "rééquilibrage : {train} lignes d'apprentissage, {test} lignes de "
                          "test.",
    "lesson2.churn_algorithm": "algorithme",
    "lesson2.churn_runs_title": "Courbes de perte des exécutions jusqu'ici",
    "lesson2.churn_runs_empty": "Aucune exécution pour l'instant : choisissez un algorithme et "
                                "appuyez sur Pas.",
    "lesson2.remember": "## À retenir\n\n"
                        "* Une itération = un broadcast, un map sur toutes les partitions, un "
                        "reduce, une mise à jour sur le driver : pas de communication de tous "
                        "vers tous, mais une barrière à chaque itération.\n"
                        "* Le résultat ne dépend pas du découpage ; le temps, si (plus de "
                        "partitions : plus de parallélisme, plus de tâches à ordonnancer et plus "
                        "de sommes partielles à combiner ; la profondeur de `treeAggregate` "
                        "décide où elles sont combinées).\n"
                        "* Les pas batch coûtent O(nd) de calcul par itération ; les mini-lots "
                        "O(md) de calcul, au prix du bruit — et sur Spark chaque itération "
                        "parcourt quand même toutes les lignes (O(n)) pour échantillonner.",
    "lesson2.q.partitions.prompt": "3 itérations sur 1, 3 et 8 partitions : que donnent les "
                                   "poids ?",
    "lesson2.q.partitions.same": "les mêmes, à l'arrondi près (~10⁻¹⁶)",
    "lesson2.q.partitions.close": "proches, à 1 % près",
    "lesson2.q.partitions.different": "nettement différents",
    "lesson2.q.partitions.explain": "Le gradient est une somme ; le découpage ne change que "
                                    "l'endroit où les sommes partielles sont additionnées.",
    "lesson2.q.via.prompt": "Comment w (3 nombres) parvient-il aux tâches dans les exécutions "
                            "de cette page ?",
    "lesson2.q.via.task": "dans la tâche",
    "lesson2.q.via.broadcast": "par sc.broadcast",
    "lesson2.q.via.disk": "les exécuteurs le lisent sur disque",
    "lesson2.q.via.explain": "L'enregistrement indique {via} : {bytes} octets, bien sous la "
                             "limite de {limit} octets, donc les poids voyagent dans la "
                             "fermeture de la tâche.",
    "lesson2.q.slow.prompt": "La partition 2 sur 8 prend +0,3 s. De combien une itération "
                             "s'allonge-t-elle ?",
    "lesson2.q.slow.none": "à peine : les autres tâches continuent",
    "lesson2.q.slow.one": "d'environ 0,3 s",
    "lesson2.q.slow.eight": "d'environ 8 × 0,3 s",
    "lesson2.q.slow.explain": "Le reduce attend la dernière tâche (la barrière) : une tâche "
                              "lente ajoute son retard une fois à chaque itération.",
    "lesson2.q.minibatch.prompt": "Avec l'objectif complet, les tâches en mini-lot sont-elles "
                                  "plus rapides que celles de la descente de gradient ?",
    "lesson2.q.minibatch.yes": "oui, environ n/m fois plus rapides",
    "lesson2.q.minibatch.no": "non, à peu près aussi longues",
    "lesson2.q.minibatch.explain": "Chaque tâche parcourt encore sa partition pour "
                                   "échantillonner et, avec l'objectif complet, calcule aussi J "
                                   "sur toutes les lignes.",

    # -- les phases d'une itération (narration et affichage) ----------------------------------
    "phase.start": "Rien n'est encore calculé : w₀ est sur le driver. Appuyez sur Pas.",
    "phase.start.label": "départ",
    "phase.readout": "Itération {iteration} · {label}",
    "phase.eta": " avec η = {eta}",
    "phase.update": "Le driver divise par n, ajoute la régularisation et met à jour : "
                    "{rule}{eta}. J = {objective} aux poids envoyés.",
    "phase.update.estimate": "Le driver divise par n, ajoute la régularisation et met à jour : "
                             "{rule}{eta}. J ≈ {objective} (estimation de l'échantillon) aux "
                             "poids envoyés.",
    "phase.update.local": "Une seule machine : le gradient sur toutes les lignes, puis "
                          "{rule}{eta}. J = {objective}.",
    "phase.update.label": "mise à jour",
    "phase.broadcast.task": "Le driver place w ({bytes} octets) dans la tâche : une charge "
                            "aussi petite voyage dans la fermeture de la tâche, que Spark "
                            "diffuse une fois par étape comme binaire de tâche ; chacune des "
                            "tâches des {count} partitions la lit.",
    "phase.broadcast.broadcast": "Le driver envoie w ({bytes} octets) par sc.broadcast : chaque "
                                 "exécuteur le récupère une fois pour les tâches des {count} "
                                 "partitions ; il est détruit après le pas.",
    "phase.broadcast.label": "broadcast",
    "phase.map": "La partition {partition} somme la perte et le gradient sur {sample} ({time} "
                 "sur l'exécuteur {executor}).",
    "phase.map.rows": "ses {rows} lignes",
    "phase.map.sample": "son échantillon de {used} lignes sur {rows}",
    "phase.map.label": "map : partition {partition} sur {count}",
    "phase.reduce.flat": "Les {count} sommes partielles sont additionnées (treeAggregate).",
    "phase.reduce.driver": "Le driver additionne les {inputs} dernières sommes partielles "
                           "qu'il a reçues (le reduce final de treeAggregate).",
    "phase.reduce.shuffle": "Un shuffle envoie {inputs} sommes partielles à {groups} tâches "
                            "d'exécuteurs, qui les additionnent : moins de résultats "
                            "parviennent au driver.",
    "phase.reduce.label": "reduce",
    "phase.reduce.level_label": "reduce : niveau {level} sur {levels} ({where})",
    "phase.where.driver": "driver",
    "phase.where.executors": "exécuteurs",

    # -- les méthodes (clé : le nom de la méthode) ---------------------------------------------
    "method.gd.label": "descente de gradient",
    "method.gd.rule": "faire un pas contre le gradient de l'objectif sur toutes les lignes",
    "method.momentum.label": "momentum",
    "method.momentum.rule": "ajouter le pas de gradient à une vitesse qui garde μ de la "
                            "précédente, puis se déplacer",
    "method.nesterov.label": "Nesterov",
    "method.nesterov.rule": "prendre le gradient au point anticipé w − μv, puis se déplacer "
                            "comme le momentum",
    "method.sgd.label": "SGD",
    "method.sgd.rule": "faire un pas contre le gradient d'une ligne tirée au hasard",
    "method.minibatch.label": "mini-lot",
    "method.minibatch.rule": "faire un pas contre le gradient moyen d'un échantillon aléatoire "
                             "de lignes",
    "method.newton.label": "Newton",
    "method.newton.rule": "résoudre H d = −∇J avec la hessienne de toutes les lignes, puis "
                          "avancer selon d",
    "method.lbfgs.label": "L-BFGS",
    "method.lbfgs.rule": "transformer le gradient en direction quasi-Newton avec les paires de "
                         "courbure des m derniers pas, puis chercher le long de celle-ci",
    "method.local_sgd.label": "SGD local (moyenne de modèles)",
    "method.local_sgd.rule": "chaque partition fait H pas sur ses propres lignes depuis w ; le "
                             "driver moyenne les modèles locaux, pondérés par les lignes",
    "method.admm.label": "ADMM par consensus",
    "method.admm.rule": "chaque partition résout son propre problème attiré vers z ; le driver "
                        "moyenne, applique la pénalité pour obtenir z et met à jour les "
                        "variables duales",
    "method.async_sgd.label": "SGD asynchrone (simulation)",
    "method.async_sgd.rule": "des travailleurs simulés envoient des gradients calculés aux "
                             "derniers poids qu'ils ont lus ; le serveur de paramètres applique "
                             "chacun à son arrivée",
    "method.avg_newton.label": "départ moyenné + Newton",
    "method.avg_newton.rule": "chaque partition résout son propre problème ; le driver moyenne "
                              "les solutions, puis fait des pas de Newton globaux",

    # -- commandes et erreurs qu'une page peut afficher ----------------------------------------
    "view.loss.title": "Perte J(w_k) par itération",
    "view.contour.title": "Lignes de niveau : chemin de w, une flèche par partition",
    "view.bars.title": "Le gradient de chaque partition ∇J_p / n",
    "lesson2.table.partitions": "partitions",
    "lesson2.table.objective": "J(w) au dernier pas",
    "lesson2.table.gap": "max |w − w(première ligne)|",
    "lesson2.table.time": "durée",
    "control.step": "Pas",
    "control.back": "Retour",
    "control.play": "Lecture",
    "control.pause": "Pause",
    "control.reset": "Recommencer",
    "control.algorithm": "algorithme",
    "control.partitions": "partitions",
    "control.depth": "profondeur de l'arbre",
    "control.penalty": "pénalité",
    "control.step_size": "pas",
    "control.phase_by_phase": "phase par phase",
    "control.slow_task": "tâche lente",
    "error.heading": "Un problème est survenu :",
    "error.heading_doing": "Un problème est survenu ({action}) :",
    "error.still_works": "(la page fonctionne toujours)",
    "error.details": "détails",
    "error.note": "Remarque :",
    "error.prefix": "Problème en {action} : {message}",
    "error.starting_spark": "Démarrage de Spark et chargement des données…",
    "url.reason.algorithm": "l'un de {choices}",
    "url.reason.penalty": "un nom de pénalité comme ridge ou lasso",
    "url.reason.lr": "un nombre positif ou l'un de {rules}",
    "url.reason.positive": "un entier ≥ 1",
    "url.reason.non_negative": "un entier ≥ 0",
    "error.url_setting": "Réglage d'adresse {setting}={value!r} ignoré ({reason})",

    # -- a page's heavy parts (stepper.pages.kit.heavy_part) ------------------------------------
    "part.stop": "Arrêter",
    "part.running": "En cours…",
    "part.running_what": "En cours : {what}",
    "part.progress": "{done} exécutions faites sur {total}",
    "part.progress_what": "{done} exécutions faites sur {total} ; en cours : {what}",
    "part.done": "Terminé.",
    "part.stopped": "Arrêté : ce qui est affiché a été mesuré avant l'arrêt.",
    "part.waiting": "En attente du calcul de l'animateur…",
    "part.from_instructor": "Résultat du calcul de l'animateur.",
    "part.busy": "Un autre calcul de cette page est en cours : attendez qu'il finisse, puis "
                 "recommencez.",
    "part.failed": "Le calcul s'est arrêté : {error}",

    # -- les cartes de la leçon 0 ---------------------------------------------------------------
    "lesson0.card.spark.title": "1. Démarrer Spark",
    "lesson0.card.spark.text": "Une `SparkSession` sur cette machine (`local[*]` : un fil "
                               "d'exécution par cœur). Son `SparkContext` `sc` crée les RDD.",
    "lesson0.card.spark.version": "version de Spark",
    "lesson0.card.spark.master": "master",
    "lesson0.card.spark.cores": "parallélisme par défaut (cœurs)",
    "lesson0.card.spark.ui": "interface Spark",
    "lesson0.card.spark.result": "Ouvrez l'interface de Spark dans un autre onglet : chaque "
                                 "**action** ci-dessous y apparaît comme un job (onglets Jobs, "
                                 "Stages, Storage, Executors).",
    "lesson0.card.read.title": "2. Lire le fichier",
    "lesson0.card.read.text": "`{file}` : une ligne par client, un en-tête, puis "
                              "`clientId, churn` et {count} variables.",
    "lesson0.card.read.result": "`lines` est un RDD de {partitions} partitions. Jobs Spark "
                                "lancés par cet appel : **{jobs}** — `textFile` est une "
                                "**transformation** : il ne fait que noter quoi faire ; aucun "
                                "octet du fichier n'a été lu.",
    "lesson0.card.header.title": "3. Retirer l'en-tête : first, puis filter",
    "lesson0.card.header.text": "`first()` rapporte la première ligne au driver ; `filter` "
                                "garde toutes les autres.",
    "lesson0.card.header.result": "En-tête : {columns}. Jobs Spark lancés : **{jobs}** — "
                                  "`first` est une **action** (elle renvoie une valeur au "
                                  "driver, donc lance un job) ; `filter` est une "
                                  "transformation.",
    "lesson0.card.lazy.title": "4. Les transformations sont paresseuses, les actions les "
                               "exécutent",
    "lesson0.card.lazy.text": "`map` transforme chaque ligne en point étiqueté "
                              "`(churn, variables)`. Un *accumulateur* compte les lignes que "
                              "Spark analyse réellement :",
    "lesson0.card.lazy.moment": "moment",
    "lesson0.card.lazy.parsed": "lignes analysées jusqu'ici",
    "lesson0.card.lazy.why": "pourquoi",
    "lesson0.card.lazy.after_map": "après `map` (une transformation)",
    "lesson0.card.lazy.nothing": "rien ne s'est exécuté",
    "lesson0.card.lazy.after_count": "après le premier `count()`",
    "lesson0.card.lazy.rows_parsed": "{rows} lignes analysées",
    "lesson0.card.lazy.after_second": "après un second `count()`",
    "lesson0.card.lazy.again": "tout est réanalysé : un RDD est une recette, pas des données",
    "lesson0.card.lazy.after_cache": "après `cache()` et deux count de plus",
    "lesson0.card.lazy.cached": "analysées une fois de plus, puis lues en mémoire",
    "lesson0.card.lazy.result": "Jobs Spark lancés par cette étape : **{jobs}** (un par "
                                "`count`). Le RDD en cache apparaît dans l'onglet *Storage* de "
                                "l'interface Spark.",
    "lesson0.card.share.title": "5. Compter et filtrer : la part de churners",
    "lesson0.card.share.text": "Deux actions sur les points en cache.",
    "lesson0.card.share.clients": "clients",
    "lesson0.card.share.churners": "churners",
    "lesson0.card.share.share": "part de churners",
    "lesson0.card.share.numpy": "numpy (tout le fichier en mémoire)",
    "lesson0.card.share.result": "À peine un client sur vingt part : un classifieur qui répond "
                                 "toujours « reste » a {always:.0f} % d'exactitude et ne sert à "
                                 "rien. La leçon 2 rééquilibre les classes.",
    "lesson0.card.recency.title": "6. À vous : filtrer sur l'ancienneté de la dernière visite",
    "lesson0.card.recency.text": "Les clients dont la dernière visite remonte à plus de *d* "
                                 "jours : combien sont-ils, et combien sont partis ? Chaque "
                                 "changement lance un job Spark.",
    "lesson0.card.recency.days": "d (jours)",
    "lesson0.card.recency.result": "**{clients}** clients sont venus pour la dernière fois il y "
                                   "a plus de {days} jours ; **{churners}** d'entre eux sont "
                                   "partis ({share}).",
    "lesson0.card.standardize.title": "7. Centrer-réduire avec map + reduce",
    "lesson0.card.standardize.text": "Un seul passage : chaque point devient `(1, x, x²)`, le "
                                     "reduce les additionne en `(n, Σx, Σx²)` ; puis "
                                     "moyenne = Σx/n et écart-type = √(Σx²/n − moyenne²). Le "
                                     "driver garde `mean` et `std`, et un second map "
                                     "remet chaque point à l'échelle et place la constante 1 "
                                     "(l'intercept) en tête :",
    "lesson0.card.standardize.mean": "moyenne",
    "lesson0.card.standardize.std": "écart-type",
    "lesson0.card.standardize.mean_gap": "|Δ moyenne| par rapport à numpy",
    "lesson0.card.standardize.std_gap": "|Δ écart-type| par rapport à numpy",
    "lesson0.card.standardize.feature": "variable",
    "lesson0.card.standardize.result": "Après centrage-réduction (colonne d'intercept en tête) : "
                                       "plus grande |moyenne| {mean:.1e}, plus grand "
                                       "|écart-type − 1| {std:.1e}. Pourquoi centrer-réduire ? "
                                       "Des variables à la même échelle rendent la perte "
                                       "ronde, et la descente de gradient rapide.",
    "lesson0.card.split.title": "8. Découper 70/30 avec une graine",
    "lesson0.card.split.text": "`randomSplit` tire le côté de chaque point avec un générateur "
                               "initialisé par une graine : la même graine donne toujours le "
                               "même découpage.",
    "lesson0.card.split.train_share": "part d'apprentissage",
    "lesson0.card.split.seed": "graine",
    "lesson0.card.split.again": "Redécouper",
    "lesson0.card.split.train_rows": "lignes d'apprentissage",
    "lesson0.card.split.test_rows": "lignes de test",
    "lesson0.card.split.churners": "churners apprentissage / test",
    "lesson0.card.split.result": "Les tailles sont proches de 70/30, pas exactement : chaque "
                                 "point est affecté au hasard. Appuyez sur *Redécouper* : même "
                                 "graine, mêmes effectifs.",
    "action.recency": "le filtrage sur la récence",
    "action.split": "le découpage",
    "action.run": "le calcul de la trajectoire",
    "action.comparison": "le nouveau tracé de la comparaison",
    "card.waiting": "en attente…",
    "page.waiting": "En attente de",
    "page.preparing": "En préparation :",

    # -- tableaux, verdicts et figures de la leçon 1 -------------------------------------------
    "lesson1.penalty.none": "aucune",
    "lesson1.penalty.ridge": "ridge (λ₂ = 0,005)",
    "lesson1.penalty.lasso": "lasso (λ₁ = 0,01, lissé)",
    "lesson1.penalty.elastic net": "elastic net (λ₁ = 0,01, λ₂ = 0,005)",
    "lesson1.setting.sgd": " (une ligne par pas)",
    "lesson1.setting.minibatch": " (≈ 10 lignes par pas)",
    "lesson1.waiting.data": "les données",
    "lesson1.waiting.oracles": "les oracles",
    "lesson1.waiting.newton": "les itérations de Newton",
    "lesson1.waiting.explorer": "l'explorateur pas à pas",
    "lesson1.waiting.lr": "la comparaison des pas",
    "lesson1.waiting.comparison": "la comparaison des méthodes",
    "lesson1.waiting.regularization": "les tableaux de régularisation",
    "lesson1.waiting.tradeoffs": "le tableau des compromis (avec mesures)",
    "lesson1.verdict.diverged": "Divergence : les poids ne sont plus finis à l'itération "
                                "{iteration} ; l'exécution s'arrête là. Prenez un pas plus "
                                "petit.",
    "lesson1.verdict.unstable": "Pas trop grand : J est monté jusqu'à {top:.3g} (il partait de "
                                "{first:.3g}) ; les itérés dépassent le minimum et rebondissent.",
    "lesson1.verdict.slow": "Lent : après {done} itérations J − J* = {gap:.2e}, encore "
                            "{left:.0f} % de l'écart de départ.",
    "lesson1.verdict.ok": "Convergence : J − J* = {gap:.2e} après {done} itérations.",
    "lesson1.oracles.quantity": "quantité",
    "lesson1.oracles.value": "valeur",
    "lesson1.oracles.says": "ce qu'elle dit",
    "lesson1.oracles.caption": "Les oracles sur les données d'apprentissage (sans "
                               "régularisation)",
    "lesson1.oracles.j0": "log 2 = 0,693147 : chaque σ vaut ½",
    "lesson1.oracles.grad0": "pointe à l'opposé du minimum",
    "lesson1.oracles.newton": "Newton, 30 pas",
    "lesson1.oracles.fd": "plus grand écart en un w aléatoire",
    "lesson1.oracles.condition": "conditionnement {kappa:.1f}",
    "lesson1.oracles.bound": "≥ λmax partout ; le pas 1/L = {step:.3f} est sûr, et le pas "
                             "spectral 1/λmax(∇²J(0)) est tout aussi sûr et {ratio:.0f}× plus "
                             "grand",
    "lesson1.newton.caption": "La méthode de Newton depuis w = 0 : w ← w − [∇²J(w)]⁻¹ ∇J(w)",
    "lesson1.oracles.fd_gradient": "∇J contre différences finies",
    "lesson1.oracles.fd_hessian": "∇²J contre différences finies",
    "lesson1.oracles.eigen": "valeurs propres de ∇²J({at})",
    "lesson1.explorer.failed_on_purpose": "échec voulu à l'itération {iteration} "
                                          "(fail_on_step dans l'adresse)",
    "lesson1.explorer.contour": "J(b*, w₁, w₂) et le chemin de (w₁, w₂)",
    "lesson1.tradeoff.newton": "Newton (second ordre)",
    "lesson1.tradeoff.batch": "GD batch, momentum, Nesterov",
    "lesson1.tradeoff.sgd": "stochastique (SGD)",
    "lesson1.tradeoff.minibatch": "mini-lot (m ≈ {m})",
    "lesson1.tradeoff.reached": "{gap} en {steps}",
    "lesson1.tradeoff.reached.nesterov": "{gap} (Nesterov) en {steps}",
    "lesson1.tradeoff.reached.noisy": "{gap} en {steps} (bruité)",
    "lesson1.tradeoff.memory.hessian": "toutes les lignes + la hessienne d×d",
    "lesson1.tradeoff.memory.all": "toutes les lignes",
    "lesson1.tradeoff.memory.one": "une ligne",
    "lesson1.tradeoff.memory.m": "m lignes",
    "lesson1.tradeoff.yes": "oui",
    "lesson1.tradeoff.no": "non",
    "lesson1.tradeoff.method": "méthode",
    "lesson1.tradeoff.precision": "précision J − J* atteinte (itérations)",
    "lesson1.tradeoff.time": "temps par itération",
    "lesson1.tradeoff.measured": "mesuré ici (n = {n}, d = {d})",
    "lesson1.tradeoff.memory": "mémoire par itération",
    "lesson1.tradeoff.online": "apprentissage en ligne",
    "lesson1.tradeoff.caption": "Compromis (mesurés sur cette machine : les chiffres varient "
                                "un peu)",
    "lesson1.label.sgd_momentum": "SGD + momentum",
    "lesson1.label.minibatch_momentum": "mini-lot + momentum",
    "lesson1.figure.label": "étiquette {sign}",
    "lesson1.figure.data": "Données d'entraînement : {rows} lignes, {positives} étiquetées +1",
    "lesson1.figure.gap_title": "J(w_k) − J*  (échelle log)",
    "lesson1.figure.iteration": "itération k",
    "lesson1.figure.first30": "J(w_k), 30 premières itérations",
    "lesson1.figure.gap200": "J(w_k) − J*, 200 itérations",
    "lesson1.figure.gap_log": "J − J* (échelle log)",
    "lesson1.figure.all_methods": "Toutes les méthodes depuis le même départ aléatoire, pas sûr "
                                  "(régularisation : {penalty})",
    "lesson1.regularization.caption": "La pénalité rétrécit les poids (l'intercept b n'est pas "
                                      "pénalisé)",
    "lesson1.regularization.penalty": "régularisation",
    "lesson1.regularization.train": "exactitude (apprentissage)",
    "lesson1.regularization.test": "exactitude (test)",
    "lesson1.explorer.step": "pas η × pas sûr",
    "lesson1.explorer.seed": "graine de départ",
    "lesson1.explorer.full_step": "Newton prend le pas complet η = 1",
    "lesson1.explorer.status": "Itération {k} sur {last} · J(w_k) = {objective:.5f} · "
                               "J − J* = {gap:.1e} · exactitude en test {accuracy:.1f} %",
    "lesson1.explorer.test_set": "Jeu de test",
    "lesson1.explorer.following": "Ces réglages suivent la page de l'animateur.",
    "lesson1.explorer.bad_settings": "les réglages de l'animateur sont illisibles ({problem}) ; "
                                     "l'exécution affichée reste",

    # -- réglages de la leçon 2 -----------------------------------------------------------------
    "lesson2.setting.algorithm": "Algorithme",
    "lesson2.setting.lr": "Pas η",
    "lesson2.setting.partitions": "Partitions",
    "lesson2.setting.depth": "Profondeur de l'arbre",
    "lesson2.setting.batch_fraction": "Fraction du mini-lot",
    "lesson2.setting.slow": "Tâche lente",
    "lesson2.setting.slow.none": "aucune",
    "lesson2.setting.slow.two": "la partition 2 prend +0,3 s",
    "lesson2.setting.full_objective": "Objectif complet",
    "lesson2.setting.full_objective.on": "oui : J sur toutes les lignes",
    "lesson2.setting.full_objective.off": "non : l'estimation de l'échantillon",
    "lesson2.confusion.title": "Jeu de test (10 %)",
    "lesson2.confusion.churn": "part",
    "lesson2.confusion.stays": "reste",

    # -- la barre de commandes ------------------------------------------------------------------
    "control.first": "« Début",
    "control.first.tip": "Début : itération 0 (Origine)",
    "control.back.tip": "Reculer d'une phase ou d'une itération (←)",
    "control.step.tip": "Pas : la phase ou l'itération suivante (→)",
    "control.last": "Fin »",
    "control.last.tip": "Dernière itération enregistrée (Fin)",
    "control.reset.tip": "Recommencer : même graine (R)",
    "control.new_seed": "Nouvelle graine",
    "control.new_seed.tip": "Recommencer avec une autre graine",
    "control.help": "? Aide",
    "control.help.text": "<div class=\"stepper-help-box\"><b>Touches</b> : <kbd>→</kbd> Pas "
                         "&nbsp; <kbd>←</kbd> Retour &nbsp; <kbd>Espace</kbd> Lecture/Pause "
                         "&nbsp; <kbd>Origine</kbd> Début &nbsp; <kbd>Fin</kbd> Fin &nbsp; "
                         "<kbd>R</kbd> Recommencer &nbsp; <kbd>?</kbd> cette aide.<br><b>Pas</b> "
                         "montre la phase suivante (broadcast, la tâche map de chaque partition, "
                         "chaque niveau du reduce, la mise à jour) ; après la dernière itération "
                         "enregistrée, il en calcule une nouvelle sur Spark. <b>Retour</b>, "
                         "<b>Début</b>, <b>Fin</b> et le curseur rejouent aussitôt les "
                         "itérations enregistrées. <b>Recommencer</b> repart avec la même "
                         "graine, <b>Nouvelle graine</b> avec une autre.</div>",
    "control.help.tip": "Touches et boutons (?)",
    "control.presenter": "Présentation",
    "control.presenter.tip": "Mode présentation : grand texte, moins de commandes",
    "control.speed.slow": "lente",
    "control.speed.normal": "normale",
    "control.speed.fast": "rapide",
    "control.speed.fastest": "maximale",
    "control.speed": "vitesse",
    "control.iteration": "Itération",

    # -- la salle (la page de l'enseignant et celles des participants) ---------------------------
    "room.reveal_all": "Révéler pour tous",
    "room.reveal_all_tooltip": "Afficher le résultat et la réponse sur la page de chaque "
                               "participant",
    "room.heading": "Salle :",
    "room.setting_ignored": "réglage {setting}= de l'adresse ignoré : {problem}",
    "room.both": "l'adresse a à la fois room= et follow= : cette page suit",
    "room.error.bad_name": "le nom de la salle n'est pas valide : de 1 à 40 lettres, chiffres, "
                           "- ou _",
    "room.error.bad_key": "la clé de la salle n'est pas valide : de 4 à 64 lettres, chiffres, "
                          "- ou _",
    "room.error.bad_server": "{value} n'est pas une adresse de serveur comme "
                             "http://192.168.1.10:8888",
    "room.error.bad_session": "le serveur de salle a refusé l'identifiant de cette page ; "
                              "rechargez la page",
    "room.error.bad_role": "le serveur de salle ne connaît pas le rôle demandé ; rechargez la "
                           "page",
    "room.error.no_room": "il n'y a pas (encore) de salle {name} sur le serveur : la page de "
                          "l'enseignant l'ouvre avec ?room={name} ; cette page redemande",
    "room.error.room_taken": "la salle {name} est déjà ouverte sur une autre page, qui affiche "
                             "sa clé : ajoutez &key=… à l'adresse de cette page pour la reprendre",
    "room.error.wrong_key": "mauvaise clé pour la salle {name} : seule la page qui a sa clé "
                            "publie",
    "room.error.taken_over": "une autre page a repris la salle {name} avec sa clé ; cette page ne "
                             "publie plus",
    "room.error.too_many_rooms": "le serveur de salle a trop de salles ouvertes ; fermez-en une "
                                 "et rechargez",
    "room.error.full": "la salle {name} est pleine",
    "room.error.not_publisher": "seule la page qui a la clé de la salle publie ; cette page suit",
    "room.error.malformed": "le serveur de salle a refusé un message mal formé de cette page "
                            "(le détail est dans le journal du noyau)",
    "room.error.too_many_questions": "la salle a trop de questions ; cette réponse n'a pas été "
                                     "comptée",
    "room.error.too_many_records": "la salle garde au plus 20 000 itérations ; les suivantes "
                                   "n'arrivent pas aux participants",
    "room.error.too_many_results": "la salle garde au plus 100 résultats ; celui-ci n'arrive pas "
                                   "aux participants",
    "room.error.unreachable": "impossible de joindre le serveur de salle {server} ; nouvel essai",
    "room.error.lost": "la connexion à la salle {name} a été perdue ; nouvel essai",
    "room.error.malformed_received": "un message mal formé de la salle a été ignoré (le détail "
                                     "est dans le journal du noyau)",
    "room.error.show_failed": "un message de la salle n'a pas pu être affiché ({error}) ; la page "
                              "continue",
    "room.error.unknown": "le serveur de salle signale un problème ({code}) ; le détail est dans "
                          "le journal du noyau",
    "room.no_server": "aucun serveur de salle n'est connu pour cette page : ajoutez "
                      "&server=http://hôte:port (le serveur Jupyter de l'enseignant) à l'adresse",
    "room.live": "● Direct",
    "room.live_tooltip": "Revenir à l'étape de l'enseignant",
    "room.instructor_closed": "la page de l'enseignant s'est fermée ; vous pouvez encore explorer "
                              "ce qu'elle a montré, et la suite arrive ici quand l'enseignant "
                              "revient",
    "room.follow.waiting": "en attente de la première étape de l'enseignant",
    "room.follow.at": "l'enseignant est à l'itération {iteration}",
    "room.follow.live": "**en direct**",
    "room.follow.exploring": "exploration libre : appuyez sur ● Direct pour rattraper",
    "room.follow.closed": "page de l'enseignant fermée",
    "room.follow.bar": "Salle **{name}** suivie · {at} · {where}",
    "room.lead.open": "les participants ouvrent `{address}`",
    "room.lead.add": "les participants ajoutent `?follow={name}` à l'adresse de cette page",
    "room.lead.server_unknown": "`&server=` et l'adresse de ce serveur",
    "room.lead.local": ", avec l'adresse réseau de cette machine au lieu de {host}",
    "room.lead.bar": "Salle **{name}** · {follow} (sur leur propre machine, ajouter {own}) · "
                     "clé `{room_key}` (rechargez avec `&key={room_key}` pour garder la salle) · "
                     "{followers} participant(s){counts}",

    # -- les schémas et figures des vues (dessinés dans la langue de la page) ------------------
    "view.flow.label": "flux de données d'une itération",
    "view.flow.driver": "Driver",
    "view.flow.driver.sub": "détient w",
    "view.flow.broadcast": "Broadcast",
    "view.flow.broadcast.sub": "w → exécuteurs",
    "view.flow.map": "Map",
    "view.flow.map.sub": "{count} partitions",
    "view.flow.map.one_machine": "une seule machine",
    "view.flow.reduce": "Reduce",
    "view.flow.reduce.sub": "treeAggregate",
    "view.flow.update": "Mise à jour",
    "view.flow.update.sub": "sur le driver",
    "view.flow.loop": "le nouveau w lance l'itération suivante",
    "view.tree.label": "arbre de reduce",
    "view.tree.title": "L'arbre de reduce construit par Spark (sommes partielles Σℓ)",
    "view.tree.step_once": "Faites un pas : l'arbre apparaît tel que l'enregistre la "
                           "combinaison de treeAggregate.",
    "view.tree.one_machine": "Une seule machine : ni partitions, ni arbre de reduce.",
    "view.tree.driver": "driver",
    "view.tree.task": "tâche {number}",
    "view.tree.map": "map",
    "view.tree.output": "sortie",
    "view.tree.level": "niveau {level}",
    "view.tree.depth": "profondeur = {depth}, regroupement par niveau = {scale}",
    "view.timeline.label": "chronologie des tâches",
    "view.timeline.title": "Chronologie des tâches : la dernière impose le rythme",
    "view.timeline.step_once": "Faites un pas : chaque tâche de l'itération apparaît ici.",
    "view.timeline.last": "dernière",
    "view.timeline.driver": "driver",
    "view.timeline.reduce": "reduce",
    "view.timeline.update": "mise à jour",
    "view.timeline.barrier": "barrière à {ms} ms",
    "view.timeline.scale": "tâches à l'échelle ; après la barrière (ordonnancement, reduce, "
                           "mise à jour), hors échelle",
    "view.confusion.test_set": "Jeu de test",
    "view.confusion.waiting": "{title} : apparaît une fois les données chargées.",
    "view.confusion.accuracy": "{title} : exactitude {accuracy} ({right} sur {total})",
    "view.confusion.predicted": "prédit {label}",
    "view.confusion.true": "réel {label}",
    "figure.loss.title": "Perte J(w) par itération",
    "figure.iteration": "itération k",
    "figure.contour.title": "Lignes de niveau de la perte et chemin de w",
    "figure.contour.zoom": "flèches × {factor} (pour être visibles)",
    "figure.boundary.title": "Données et frontière de décision",
    "figure.boundary.x1": "x1 (centré réduit)",
    "figure.boundary.x2": "x2 (centré réduit)",
    "figure.bars.xlabel": "partition (et Σ)",

    # -- les messages d'état du lecteur et de l'application --------------------------------------
    "status.prefetch": "Spark prépare d'avance l'itération {iteration}…",
    "status.queued.free": "Pas en attente : il partira dès que Spark sera libre…",
    "status.queued.starting": "Pas en attente : Spark démarre…",
    "status.working": "Spark travaille…",
    "status.starting_again": "On recommence…",
    "status.starting_spark": "Démarrage de Spark et chargement des données (la JVM met environ "
                             "10 s)…",
    "status.starting_spark.short": "Démarrage de Spark…",
    "status.drawing": "Dessin en cours…",
    "status.computing": "Spark calcule l'itération {iteration}…",
    "status.loading_first": "Chargement des données sur Spark d'abord (la première fois "
                            "seulement)…",
    "status.link": "Lien vers cet état :",
    "error.still_starting": "Spark démarre encore : réessayez dans quelques secondes",
    "error.recorded_run": "exécution enregistrée : il n'y a plus rien à calculer",
    "error.failed_on_purpose": "l'itération {iteration} a échoué exprès : l'adresse de la page "
                               "le demandait (fail_on_step={wanted}). Appuyez de nouveau sur Pas "
                               "pour continuer.",
    "error.url_settings_ignored": "Réglages de l'adresse ignorés : {message}",

    # -- les erreurs du moteur telles qu'une page les montre (par type d'exception et paramètre)
    "engine.divergence.driver": "itération {iteration} : valeur non finie pour {quantity} "
                                "sur le driver ; le pas n'a pas été appliqué (les poids restent au "
                                "dernier état valide). Essayez un pas d'apprentissage plus petit.",
    "engine.divergence.partition": "itération {iteration} : valeur non finie pour "
                                   "{quantity} dans la partition {partition} ; le pas n'a pas "
                                   "été appliqué (les "
                                   "poids restent au dernier état valide). Essayez un pas "
                                   "d'apprentissage plus petit.",
    "engine.quantity.loss": "la perte de la partition",
    "engine.quantity.gradient": "le gradient de la partition",
    "engine.quantity.hessian": "la hessienne de la partition",
    "engine.quantity.objective": "l'objectif",
    "engine.quantity.weights": "les poids après la mise à jour",
    "engine.config": "{parameter}={value} n'est pas valide : {expected}",
    "engine.config.lr": "pas d'apprentissage {value} non valide : un nombre positif, '1/L', "
                        "'spectral', 'armijo' ou 'wolfe'",
    "engine.config.lr.line_search": "pas d'apprentissage {value} non valide pour {method} : un "
                                    "nombre, '1/L' ou 'spectral' (une recherche linéaire "
                                    "demande une méthode sur le lot complet)",
    "engine.config.algorithm": "algorithme {value} non valide : l'un de {choices}",
    "engine.config.partitions": "partitions={value} non valide : un entier ≥ 1",
    "engine.config.momentum": "momentum={value} non valide : un nombre dans [0, 1)",
    "engine.spark_failed": "Spark a échoué : {message}",
    "engine.spark_gone": "la JVM de Spark s'est arrêtée ou ne répond plus",
    # -- lesson 3 ---------------------------------------------------------------------------------
    "index.lesson3.title": "3. Ce que coûte une itération",
    "index.lesson3.text": "Où passe le temps d'une itération distribuée, mesuré en direct : "
                          "ordonnancement, tâche la plus lente, reduce, octets ; retardataires, "
                          "tâche en échec relancée, SGD synchrone contre asynchrone.",
    "index.lesson3.note": "démarre Spark (environ 10 s) ; chaque balayage affiche sa progression "
                          "pendant qu'il tourne",
    "link.lesson3": "Leçon 3",
    "lesson3.title": "Leçon 3 · Ce que coûte une itération",
    "lesson3.subtitle": "Communication, retardataires, pannes, SGD synchrone contre "
                        "asynchrone : mesurés sur cette machine, maintenant",
    "lesson3.exercise": "fr/04_costs_and_synchrony.ipynb",
    "lesson3.intro": "La leçon 2 a montré comment se déroule une itération. Cette page mesure ce "
                     "qu'elle **coûte**, sur des données générées (chaque partition construit ses "
                     "propres lignes), d'après les enregistrements que laissent ses exécutions "
                     "(celles de Spark, sauf dans la simulation de la partie e) :\n\n"
                     "T ≈ ordonnancement + tâche la plus lente + reduce + broadcast\n\n"
                     "Pourquoi s'en soucier : un modèle entraîné à grande échelle est une boîte "
                     "noire si l'on ne peut pas dire ce qu'il a calculé et comment (le *droit à "
                     "l'explication*) ; ici chaque nombre mesuré de la page vient d'une exécution "
                     "faite par la page, que l'on peut relancer. Chaque partie s'ouvre par une "
                     "question : répondez, puis lancez la partie (la page de l'animateur les "
                     "lance pour une salle).",
    "lesson3.ui_waiting": "*Le lien vers l'interface de Spark apparaît une fois Spark démarré.*",
    "lesson3.ui_link": "Le Spark de cette page (maître `{master}`) : son interface est à "
                       "{link} — ouvrez **Jobs**, choisissez le job d'une itération, et voyez "
                       "ses **étapes** et ses **tâches** : une tâche par partition, une seconde "
                       "étape quand `treeAggregate` combine dans les exécuteurs.",
    "lesson3.section.stepper": "## L'exécution pas à pas\n\n"
                               "Descente de gradient sur des lignes générées ; chaque tâche "
                               "attend un délai aléatoire tiré avec une graine fixe (loi "
                               "log-normale), si bien que la **chronologie des tâches** montre la "
                               "barrière : le reduce commence quand la dernière tâche finit. "
                               "Changez le délai ou les partitions dans les réglages et avancez "
                               "d'un pas.",
    "lesson3.section.cost": "## a. Le modèle de coût d'une itération\n\n"
                            "Le balayage lance la descente de gradient pour chaque nombre de "
                            "partitions et deux formes de données d'environ autant de valeurs : "
                            "beaucoup de lignes et peu de variables, peu de lignes et beaucoup de "
                            "variables. Chaque barre est une itération (la médiane de "
                            "quelques-unes), découpée par l'horloge autour de `step()` et par le "
                            "début et la fin de chaque tâche : broadcast, ordonnancement (avant "
                            "la première tâche), tâche la plus lente, attente (le reste du temps "
                            "entre le début de la première tâche et la fin de la dernière : "
                            "tâches en file derrière d'autres quand il y a plus de partitions que "
                            "de cœurs, ou lancées après la première), reduce et mise à jour sur "
                            "le driver (après la dernière tâche). Les parties s'additionnent au "
                            "temps mesuré.",
    "lesson3.section.bytes": "## b. Octets par itération\n\n"
                             "Le driver envoie w (8d octets et un peu d'enveloppe) et reçoit les "
                             "sommes partielles du dernier niveau de l'arbre du reduce. À la "
                             "profondeur 1, le résultat de chaque partition arrive au driver ; un "
                             "arbre plus profond combine d'abord dans les exécuteurs (PySpark "
                             "n'ajoute un niveau que si P est assez grand pour la profondeur), et "
                             "le driver reçoit une somme partielle par groupe du dernier niveau. "
                             "Chaque ligne du tableau est l'enregistrement d'une itération, au "
                             "niveau de trace `summary` : une somme partielle porte son gradient, "
                             "et pour l'enregistrement seulement les normes des gradients des "
                             "partitions (à `full`, le gradient de chaque partition monterait "
                             "l'arbre avec elle).",
    "lesson3.cards.parallelism": "### Parallélisme de données et parallélisme de modèle\n\n"
                                 "Tout ici est du **parallélisme de données** : les lignes sont "
                                 "réparties, chaque tâche détient tout w. Quand w lui-même ne "
                                 "tient plus sur une machine (un modèle à des milliards de "
                                 "poids), il faut aussi répartir w. Avec des **serveurs de "
                                 "paramètres**, w est découpé entre des serveurs tandis que les "
                                 "lignes restent réparties : chaque tâche récupère les "
                                 "coordonnées que touchent ses lignes et renvoie leur gradient "
                                 "(le SGD Downpour, les serveurs de paramètres de TensorFlow), et "
                                 "le driver ne voit plus le gradient entier. Avec le "
                                 "**parallélisme de modèle**, c'est le calcul du modèle lui-même "
                                 "qu'on découpe : chaque machine détient une partie du modèle et "
                                 "calcule cette partie pour les mêmes lignes (DistBelief "
                                 "répartissait ainsi un réseau entre des machines).",
    "lesson3.section.stragglers": "## c. Les retardataires\n\nUne itération synchrone attend sa "
                                  "tâche la plus lente. Ici chaque tâche attend un délai tiré "
                                  "d'une loi log-normale (graine fixée : le même à chaque "
                                  "exécution) ; le balayage fait varier le nombre de "
                                  "partitions, avec la même loi de délai par tâche.",
    "lesson3.cards.speculation": "### Les parades\n\n"
                                 "* **Plus de partitions que de cœurs** : les tâches passent par "
                                 "vagues, chaque cœur prenant la tâche suivante dès qu'il est "
                                 "libre : pendant qu'une tâche lente occupe un cœur, les autres "
                                 "cœurs prennent les tâches restantes. Cela aide quand la lenteur "
                                 "est proportionnelle au travail (une machine lente, une grosse "
                                 "partition) : tâches plus petites, retardataires plus petits. "
                                 "Cela n'aide pas contre des délais qui ne diminuent pas avec la "
                                 "tâche, comme ceux tirés plus haut, et chaque tâche ajoute son "
                                 "coût fixe.\n* **Exécution spéculative** "
                                 "(`spark.speculation=true`) : une fois "
                                 "`spark.speculation.quantile` des tâches d'une étape terminées, "
                                 "une tâche qui dure plus de `spark.speculation.multiplier` fois "
                                 "leur médiane reçoit une copie sur une autre machine (jamais une "
                                 "où elle tourne déjà), et Spark garde celle qui finit d'abord. "
                                 "Cela aide contre une machine lente, pas contre une tâche lente "
                                 "partout ; en mode local, cela ne fait rien.",
    "lesson3.section.failures": "## d. Les pannes\n\nUne tâche échoue une fois, au milieu de "
                                "l'itération 2. Le maître de cette page permet de relancer "
                                "(`local[N,F]` : F tentatives par tâche ; une grappe relance "
                                "d'elle-même). Les mêmes itérations sont calculées deux fois "
                                "sur les mêmes lignes, sans puis avec la panne.",
    "lesson3.cards.lineage": "### La lignée\n\n"
                             "Spark garde, pour chaque partition, la recette qui l'a construite "
                             "(ici : générer les lignes de la partition à partir de la graine), "
                             "sa **lignée**. Une tâche en échec est relancée, et une partition "
                             "perdue recalculée d'après cette recette, sur n'importe quel "
                             "exécuteur : une panne coûte du temps, pas un nombre faux, tant que "
                             "la recette est déterministe (ici elle l'est : les lignes viennent "
                             "d'une graine). Un point de reprise (`checkpoint`) coupe une longue "
                             "lignée (les partitions sont enregistrées sur un stockage fiable et "
                             "la recette oubliée) ; la mise en cache garde les partitions "
                             "calculées en mémoire, pour les recalculer rarement, mais garde la "
                             "recette au cas où une copie en cache serait perdue.",
    "lesson3.section.async": "## e. SGD synchrone contre asynchrone (simulé)\n\n"
                             "Une simulation sur le driver (numpy) : W ouvriers de vitesses "
                             "aléatoires envoient des gradients à un serveur de paramètres. "
                             "**Synchrone** : chaque tour attend les W, puis fait la moyenne. "
                             "**Asynchrone** : chaque gradient est appliqué dès son arrivée, "
                             "calculé sur des poids vieux d'au plus τ mises à jour (le retard ; "
                             "les ouvriers attendent s'il le faut pour qu'il ne dépasse pas τ). "
                             "La page cherche aussi, pour chaque τ, le plus grand pas qui reste "
                             "stable (J encore fini et sous sa valeur de départ après un nombre "
                             "fixé de mises à jour). Tapez d'autres retards (séparés par des "
                             "virgules) pour les essayer.",
    "lesson3.cards.hogwild": "### Hogwild!\n\nHogwild! supprime le serveur et les verrous : des "
                             "fils d'exécution partageant la mémoire écrivent leurs mises à "
                             "jour creuses directement dans w. Quand chaque ligne touche peu de "
                             "coordonnées, deux mises à jour se heurtent rarement, et le "
                             "retard fait peu de mal.",
    "lesson3.section.timed": "## f. Une longue exécution chronométrée\n\n"
                             "L'atelier chronométrait d'un coup de nombreuses itérations de "
                             "descente de gradient distribuée. Ici l'exécution ne garde aucun "
                             "détail par tâche (niveau de trace `none`) et est chronométrée d'un "
                             "bloc, face à des pas isolés avec l'enregistrement complet.",
    "lesson3.cards.big": "## Le vocabulaire des grands systèmes\n\n"
                         "* **Grandes données, grands modèles** (`big data`, `big models`) : trop "
                         "de lignes pour une machine (répartir les lignes : parallélisme de "
                         "données) ou trop de poids (répartir le modèle).\n"
                         "* **Croissance verticale ou horizontale** (`scale up`, `scale out`) : "
                         "une machine plus grosse (plus de cœurs et de mémoire, un seul domaine "
                         "de panne, un prix qui croît plus vite que la taille) ou plus de "
                         "machines (bon marché, mais chaque itération paie le réseau et attend la "
                         "plus lente).\n* **Exigences** d'un grand système : *passage à "
                         "l'échelle* (deux fois plus de machines traitent environ deux fois plus "
                         "de travail dans le même temps), *latence* (la durée d'une réponse ou "
                         "d'une itération), *disponibilité* (il continue quand des machines "
                         "tombent) et *coût*.",
    "lesson3.cards.hdfs": "### Où vivent les données sur une grappe\n\n"
                          "Sur une grappe, les lignes sont d'ordinaire dans HDFS (ou un stockage "
                          "objet) : des fichiers découpés en grands **blocs**, chacun "
                          "**répliqué** sur plusieurs machines. En lisant un tel fichier, Spark "
                          "fait à peu près une partition par bloc et préfère envoyer chaque tâche "
                          "sur une machine qui détient son bloc (**localité des données** : les "
                          "tâches vont aux données, pas l'inverse ; il attend un peu, "
                          "`spark.locality.wait`, qu'un cœur s'y libère). Sur cette page les "
                          "partitions construisent leurs propres lignes : la localité poussée à "
                          "l'extrême.",
    "lesson3.cards.dag": "### Jobs, étapes, tâches\n\nChaque action (ici : le `treeAggregate` "
                         "de chaque itération) est un **job** ; un job est coupé en **étapes** "
                         "à chaque redistribution ; une étape lance une **tâche** par "
                         "partition. L'interface de Spark dessine ce graphe pour chaque job.",
    "lesson3.cards.mapreduce": "### La vue MapReduce\n\n"
                               "Une itération est reduce(⊕) ∘ regroupement ∘ map(f) : associer à "
                               "chaque ligne son gradient, regrouper par clé, additionner dans "
                               "chaque groupe. Ici toutes les lignes ont la même clé (un seul "
                               "gradient) : aucune ligne n'est regroupée ni redistribuée, chaque "
                               "tâche additionne ses propres lignes. À la profondeur 1, les "
                               "sommes partielles vont droit au driver ; plus profond (quand P "
                               "est assez grand pour un niveau de plus), le `treeAggregate` de "
                               "PySpark associe à chaque somme partielle l'indice de sa partition "
                               "(modulo la largeur du niveau suivant) et les combine par "
                               "`reduceByKey` : une redistribution de sommes partielles (d "
                               "nombres chacune, plus ce qu'enregistre la trace), pas de lignes ; "
                               "c'est la seconde étape dans l'interface de Spark.",
    "lesson3.cards.cluster": "### Sur une vraie grappe\n\n"
                             "Le `docker-compose.yml` de ce dépôt démarre une grappe Spark "
                             "autonome (un maître et deux ouvriers) et le serveur des leçons, "
                             "dont les pages tournent sur elle "
                             "(`STEPPER_MASTER=spark://master:7077`) ; sans Docker, `python -m "
                             "stepper.cluster` démarre un maître et deux ouvriers sur cette "
                             "machine et affiche le `STEPPER_MASTER` à définir. On y voit des "
                             "tâches sur plusieurs exécuteurs et des relances ; les copies "
                             "spéculatives (`spark.speculation=true` dans la configuration de "
                             "Spark) demandent des ouvriers sur des machines différentes, comme "
                             "ceux de la grappe Compose.",
    "lesson3.remember": "## À retenir\n\n"
                        "* Une itération coûte ordonnancement + tâche la plus lente + reduce + "
                        "broadcast : plus de partitions achètent du parallélisme jusqu'à ce que "
                        "les coûts fixes par tâche l'emportent.\n"
                        "* Le driver reçoit les sommes partielles du dernier niveau de l'arbre : "
                        "P, la profondeur et d décident s'il devient le goulot d'étranglement.\n"
                        "* Une itération synchrone attend sa tâche la plus lente ; les pannes "
                        "sont recalculées d'après la lignée, au prix du temps seulement.\n"
                        "* Les mises à jour asynchrones suppriment la barrière mais utilisent des "
                        "gradients en retard : le pas doit diminuer quand le retard grandit.",
    "lesson3.sweep.run": "Lancer le balayage",
    "lesson3.bytes.run": "Mesurer les octets",
    "lesson3.stragglers.run": "Lancer le balayage des retardataires",
    "lesson3.failure.run": "Faire échouer une tâche",
    "lesson3.async.run": "Simuler",
    "lesson3.timed.run": "Chronométrer",
    "lesson3.setting.delay": "Délais des tâches",
    "lesson3.setting.delay.lognormal": "log-normal, moyenne {mean} s",
    "lesson3.setting.delay.none": "aucun",
    "lesson3.setting.partitions": "Partitions",
    "lesson3.failure.partition": "Partition en échec",
    "lesson3.async.stalenesses": "Retards τ",
    "lesson3.async.placeholder": "p. ex. 0, 4, 16",
    "lesson3.part.broadcast": "broadcast",
    "lesson3.part.scheduling": "ordonnancement",
    "lesson3.part.slowest": "tâche la plus lente",
    "lesson3.part.waiting": "tâches en attente d'un cœur",
    "lesson3.part.reduce": "reduce",
    "lesson3.part.driver": "mise à jour sur le driver",
    "lesson3.part.total": "durée mesurée",
    "lesson3.shape.rows": "Beaucoup de lignes : {rows} × {features}",
    "lesson3.shape.features": "Beaucoup de variables : {rows} × {features}",
    "lesson3.shape.name.rows": "Beaucoup de lignes",
    "lesson3.shape.name.features": "Beaucoup de variables",
    "lesson3.axis.partitions": "partitions P",
    "lesson3.axis.seconds": "secondes",
    "lesson3.axis.bytes": "octets par itération",
    "lesson3.axis.clock": "temps simulé",
    "lesson3.axis.updates": "mises à jour appliquées",
    "lesson3.axis.stable": "plus grand pas stable / (1/L)",
    "lesson3.sweep.result": "**{shape}** : le plus rapide à P = {best} ({best_time:.3f} s "
                            "par itération) ; P = {first} : {first_time:.3f} s, dont la "
                            "tâche la plus lente {first_slowest:.3f} s ; P = {last} : "
                            "{last_time:.3f} s, dont {last_scheduling:.3f} s d'ordonnancement "
                            "et d'attente des tâches ({cores} cœurs).",
    "lesson3.bytes.col.features": "d",
    "lesson3.bytes.col.depth": "profondeur",
    "lesson3.bytes.col.broadcast": "broadcast (octets)",
    "lesson3.bytes.col.via": "comment",
    "lesson3.bytes.col.result": "résultat d'une tâche (octets, médiane)",
    "lesson3.bytes.col.arriving": "sommes partielles au driver",
    "lesson3.bytes.col.to_driver": "octets reçus par le driver",
    "lesson3.via.task": "dans la tâche",
    "lesson3.via.broadcast": "sc.broadcast",
    "lesson3.via.none": "aucun",
    "lesson3.bytes.result": "À la profondeur 1 et d = {features}, {to_driver} octets arrivent au "
                            "driver à chaque itération depuis {partitions} partitions : environ "
                            "{per_feature:.0f} octets par variable. Le lien du driver les reçoit "
                            "l'un après l'autre : quand P·8d grandit, leur réception finit par "
                            "durer plus que les tâches ; le driver est alors le goulot "
                            "d'étranglement, et un arbre plus profond (ou moins de partitions, "
                            "plus grosses) le soulage.",
    "lesson3.bytes.title": "Ce qui circule en une itération ({partitions} partitions)",
    "lesson3.bytes.depth_line": "vers le driver, profondeur {depth}",
    "lesson3.bytes.broadcast_line": "broadcast de w",
    "lesson3.stragglers.result": "Avec {first} partitions, une itération a duré "
                                 "{first_time:.3f} s ; avec {last}, {last_time:.3f} s. À {last} "
                                 "partitions, le plus grand délai tiré valait {largest:.3f} s "
                                 "en moyenne, et les délais, passés dans l'ordre sur {cores} "
                                 "cœurs, finissent après {makespan:.3f} s : l'itération "
                                 "attend cela.",
    "lesson3.stragglers.title": "Durée d'une itération selon P, délais log-normaux",
    "lesson3.stragglers.time": "durée de l'itération (mesurée)",
    "lesson3.stragglers.largest_delay": "plus grand délai tiré",
    "lesson3.stragglers.makespan": "délais sur {cores} cœurs (durée totale)",
    "lesson3.failure.attempt": "partition {partition} : tentative {attempt}",
    "lesson3.failure.result": "Enregistrement de l'itération {iteration} : {attempts}. La "
                              "tâche de la partition {partition} a tourné en tentative "
                              "{attempt} sur le maître `{master}` ; les poids à la fin "
                              "diffèrent de ceux de l'exécution sans panne d'au plus "
                              "{difference:.1e}.",
    "lesson3.async.sync": "synchrone",
    "lesson3.async.tau": "asynchrone, τ ≤ {tau}",
    "lesson3.async.by_time": "J selon l'horloge simulée",
    "lesson3.async.by_updates": "J selon les mises à jour",
    "lesson3.async.stable_title": "Plus grand pas stable",
    "lesson3.async.stable_item": "τ = {tau} : {factor:.2f}/L",
    "lesson3.async.result": "{workers} ouvriers simulés, pas 1/L = {eta:.3g} pour les courbes. "
                            "Plus grand pas stable trouvé sur la grille : {stable}.",
    "lesson3.timed.result": "{iterations} itérations avec la trace la plus légère ont pris "
                            "{seconds:.2f} s : {per_iteration:.3f} s chacune. Une itération avec "
                            "l'enregistrement complet (ce que calcule un pas, avant le dessin) a "
                            "pris {stepping:.3f} s (médiane de {stepped}) : {ratio:.1f} fois plus.",
    "lesson3.bad.partitions": "{partitions} partitions pour {rows} lignes : une partition "
                              "serait vide ; choisissez au plus {rows} partitions.",
    "lesson3.bad.failure_partition": "Il n'y a pas de partition {partition} : les partitions "
                                     "sont numérotées de 0 à {last}.",
    "lesson3.failure.no_retry": "Le maître {master} ne relance pas une tâche en échec : cette "
                                "page ne peut pas montrer la relance ici ; ouvrez la page dans "
                                "un noyau neuf (elle démarre alors Spark sur local[N,4]) ou sur "
                                "une grappe.",
    "lesson3.bad.staleness": "Un retard de {staleness} est impossible dans une exécution de "
                             "{updates} mises à jour : choisissez τ entre 0 et {updates} − 1.",
    "lesson3.bad.staleness_text": "« {value} » n'est pas une liste d'entiers (p. ex. 0, 4, 16).",
    "lesson3.q.sweep.prompt": "De 1 à beaucoup de partitions (beaucoup de lignes), comment "
                              "évolue la durée d'une itération sur cette machine ?",
    "lesson3.q.sweep.falls": "elle ne fait que baisser",
    "lesson3.q.sweep.u": "elle baisse, puis remonte",
    "lesson3.q.sweep.rises": "elle ne fait que monter",
    "lesson3.q.sweep.explain": "Le plus rapide à {best} partitions ({best_time:.3f} s) sur "
                               "{cores} cœurs ; {first} partitions : {first_time:.3f} s, {last} : "
                               "{last_time:.3f} s. Plus de partitions partagent le travail, mais "
                               "chaque tâche ajoute un coût fixe (l'ordonnancer, une somme "
                               "partielle à combiner) : le nombre le plus rapide est là où les "
                               "deux s'équilibrent, dans la plage mesurée ou au-delà.",
    "lesson3.q.bytes.prompt": "À la profondeur 1, d passe de la plus petite à la plus grande "
                              "valeur mesurée. Les octets reçus par le driver à chaque "
                              "itération croissent…",
    "lesson3.q.bytes.same": "à peine",
    "lesson3.q.bytes.linear": "à peu près comme d",
    "lesson3.q.bytes.square": "comme d² ou plus vite",
    "lesson3.q.bytes.explain": "De d = {small} à d = {large} : {small_bytes} → {large_bytes} "
                               "octets, une croissance comme d^{exponent:.2f}. Chaque somme "
                               "partielle est un vecteur de d nombres plus une enveloppe fixe, "
                               "qui domine quand d est petit.",
    "lesson3.q.stragglers.prompt": "Chaque tâche attend un délai aléatoire. Avec plus de "
                                   "partitions (la même loi de délai par tâche), une itération "
                                   "dure…",
    "lesson3.q.stragglers.shorter": "moins longtemps",
    "lesson3.q.stragglers.same": "à peu près autant",
    "lesson3.q.stragglers.longer": "plus longtemps",
    "lesson3.q.stragglers.explain": "{first} partitions : {first_time:.3f} s, {last} "
                                    "partitions : {last_time:.3f} s (× {ratio:.2f}). "
                                    "L'itération attend le plus grand de délais aléatoires plus "
                                    "nombreux, et au-delà des cœurs les délais font la queue.",
    "lesson3.q.failure.prompt": "Une tâche échoue une fois pendant une itération. Que devient "
                                "l'exécution ?",
    "lesson3.q.failure.fails": "l'itération échoue avec une erreur",
    "lesson3.q.failure.retry_same": "Spark relance la tâche ; les nombres sont les mêmes",
    "lesson3.q.failure.retry_different": "Spark relance la tâche ; les nombres changent un peu",
    "lesson3.q.failure.explain": "La tâche de la partition {partition} à l'itération "
                                 "{iteration} a été recalculée à partir des mêmes lignes (sa "
                                 "lignée) ; les poids diffèrent de {largest_difference:.1e} de "
                                 "ceux de l'exécution sans panne.",
    "lesson3.q.async.prompt": "Quand le retard τ grandit, le plus grand pas qui reste stable "
                              "devient…",
    "lesson3.q.async.smaller": "plus petit",
    "lesson3.q.async.same": "à peu près le même",
    "lesson3.q.async.larger": "plus grand",
    "lesson3.q.async.explain": "Mesuré : {first:.2f}/L à τ = {first_tau}, {last:.2f}/L à τ = "
                               "{last_tau}. Un gradient calculé jusqu'à τ mises à jour plus tôt "
                               "peut pousser au-delà du minimum : le plus grand pas stable "
                               "diminue quand τ grandit. La théorie, pour un retard d'exactement "
                               "τ sur une quadratique de courbure L : les pas sous 2·sin(π/(4τ + "
                               "2))/L sont stables, environ π/(2τ)/L pour τ grand, proportionnels "
                               "à 1/τ.",
    "lesson3.q.timed.prompt": "Une itération lancée en boucle avec la trace la plus légère "
                              "est-elle plus rapide qu'une itération avec l'enregistrement "
                              "complet (ce que calcule un pas) ?",
    "lesson3.q.timed.same": "à peu près aussi rapide",
    "lesson3.q.timed.little": "un peu plus rapide (moins de deux fois)",
    "lesson3.q.timed.much": "plus de deux fois plus rapide",
    "lesson3.q.timed.explain": "Mesuré : {per_iteration:.3f} s par itération dans la boucle, "
                               "{stepping:.3f} s par itération avec l'enregistrement complet "
                               "({ratio:.1f} ×). Un job Spark par itération est le plancher dans "
                               "les deux cas ; l'enregistrement ajoute le détail des tâches et "
                               "l'arbre.",
    "lesson3.ui_off": "Le Spark de cette page (maître `{master}`) tourne ici sans son interface.",
    "lesson3.sweep.partitions": "Partitions (facultatif)",
    "lesson3.sweep.placeholder": "p. ex. 1, 2, 4, 8",
    "lesson3.bad.partitions_text": "« {value} » n'est pas une liste de nombres de partitions "
                                   "≥ 1 (p. ex. 1, 2, 4, 8).",

    # -- lesson 4 ---------------------------------------------------------------------------------
    "index.lesson4.title": "4. Moins d'allers-retours",
    "index.lesson4.text": "Les méthodes comparées par allers-retours de communication et par "
                          "octets sur le churn : GD, Nesterov, Newton, L-BFGS, SGD local, ADMM ; "
                          "le L-BFGS de MLlib ; pertes, histoire, méthodes adaptatives.",
    "index.lesson4.note": "démarre Spark ; les comparaisons tournent à la demande",
    "link.lesson4": "Leçon 4",
    "lesson4.title": "Leçon 4 · Moins d'allers-retours",
    "lesson4.subtitle": "Sur une grappe, une itération coûte un aller-retour : on compte les "
                        "allers-retours et les octets, pas les itérations.",
    "lesson4.exercise": "fr/05_fewer_rounds.ipynb",
    "lesson4.intro": "La leçon 2 a montré un aller-retour : le driver envoie w (**broadcast**), "
                     "chaque partition calcule, un **reduce** ramène les sommes. Sur une grappe "
                     "chaque aller-retour attend le réseau et la tâche la plus lente ; une "
                     "méthode se juge donc aux **allers-retours** (et aux **octets**) qu'il lui "
                     "faut pour atteindre J − J* ≤ ε, pas à ses itérations. Cette page fait "
                     "tourner les méthodes du moteur sur les données de churn (préparées comme "
                     "dans la leçon 2, λ₂ = 0,005) et sur les données 2-D ; chaque enregistrement "
                     "dit combien d'allers-retours son itération a pris et combien d'octets sont "
                     "partis et revenus. Les boutons lancent les calculs sur Spark (une ligne de "
                     "progression dit où ils en sont ; la page reste utilisable) ; dans une "
                     "salle, la page de l'animateur les lance et chaque participant dessine les "
                     "mêmes résultats.",
    "lesson4.minibatch_momentum": "mini-lot + inertie",
    "lesson4.axis.rounds": "allers-retours de communication",
    "lesson4.axis.bytes": "octets déplacés (broadcast + reduce)",
    "lesson4.axis.residuals": "résidus (r plein, s tirets)",
    "lesson4.axis.margin": "marge m = y·wᵀx",
    "lesson4.axis.iterations": "itérations k",
    "lesson4.figure.rounds": "J − J* selon les allers-retours",
    "lesson4.figure.bytes": "J − J* selon les octets",
    "lesson4.figure.paths": "GD et L-BFGS depuis w = 0",
    "lesson4.split.iid": "lignes réparties au hasard (IID)",
    "lesson4.split.non_iid": "lignes groupées par étiquette (non IID)",
    "lesson4.loss.zero_one": "0-1 : 1 si m ≤ 0",
    "lesson4.loss.hinge": "charnière : max(0, 1 − m)",
    "lesson4.loss.logistic": "logistique : log(1 + e⁻ᵐ) / log 2",
    "lesson4.loss.squares": "carrés : (1 − m)²",
    "lesson4.run.rounds": "Lancer les six méthodes sur Spark",
    "lesson4.run.mllib": "Ajuster la LogisticRegression de MLlib",
    "lesson4.run.local_sgd": "Lancer le balayage du SGD local",
    "lesson4.run.admm": "Lancer ADMM pour chaque ρ",
    "lesson4.run.lasso": "Lancer ADMM avec le lasso",
    "lesson4.run.four": "Lancer les quatre courbes",
    "lesson4.loading_churn": "chargement des données de churn",
    "lesson4.input.local_steps": "Pas locaux H (jusqu'à 4, séparés par des virgules)",
    "lesson4.input.rho": "Pénalités ρ (jusqu'à 4, séparées par des espaces)",
    "lesson4.bad_local_steps": "H = {value} n'est pas valable : un entier de {low} à {high}.",
    "lesson4.bad_rho": "ρ = {value} n'est pas valable : un nombre positif.",
    "lesson4.bad_count": "« {value} » : donnez d'une à quatre valeurs.",
    "lesson4.not_reached": "pas en {rounds}",
    "lesson4.col.method": "méthode",
    "lesson4.col.iterations": "itérations",
    "lesson4.col.rounds": "allers-retours",
    "lesson4.col.rounds_to": "allers-retours jusqu'à J − J* ≤ {tolerance}",
    "lesson4.col.rate": "vitesse lue sur la courbe",
    "lesson4.col.bytes_per_round": "octets par aller-retour",
    "lesson4.col.seconds_per_round": "secondes par aller-retour (mesurées)",
    "lesson4.col.final_gap": "dernier J − J*",
    "lesson4.col.total_seconds": "secondes au total = s/aller-retour × allers-retours",
    "lesson4.col.feature": "variable",
    "lesson4.col.ours": "les nôtres (Newton, numpy)",
    "lesson4.col.split": "répartition",
    "lesson4.col.floor": "J − J* après {rounds} allers-retours",
    "lesson4.col.primal": "résidu primal r",
    "lesson4.col.dual": "résidu dual s",
    "lesson4.col.reference": "gradient proximal (numpy)",
    "lesson4.col.local": "travail par partition et aller-retour",
    "lesson4.col.stragglers": "tâches lentes",
    "lesson4.col.non_iid": "données non IID",
    "lesson4.rate.linear": "linéaire",
    "lesson4.rate.superlinear": "superlinéaire",
    "lesson4.rate.quadratic": "quadratique",
    "lesson4.rate.sublinear": "sous-linéaire",
    "lesson4.rate.unknown": "trop peu de points pour conclure",
    "lesson4.pairs.caption": "L-BFGS a gardé {kept} paires (mémoire m = {memory}, la plus récente "
                             "en dernier). Depuis w = 0, GD a fait {gd} pas et L-BFGS {lbfgs} ; "
                             "J(GD) − J(L-BFGS) à la fin : {gd_gap:.2e}.",
    "lesson4.mllib.caption": "MLlib a fait {iterations} itérations de L-BFGS ; le plus grand "
                             "écart à notre optimum est {gap:.1e}.",
    "lesson4.lasso.caption": "λ₁ = {l1:g} : le z d'ADMM a {zeros} zéros exacts sur {penalized} "
                             "poids pénalisés (gradient proximal en numpy : {reference}).",
    "lesson4.summary.pending": "Lancez les comparaisons ci-dessus : les colonnes mesurées se "
                               "remplissent.",
    "lesson4.summary.non_iid_measured": "Mesuré à H = {H} : J − J* = {iid:.1e} (IID) contre "
                                        "{non_iid:.1e} (non IID).",
    "lesson4.summary.gd.local": "un passage de gradient",
    "lesson4.summary.gd.stragglers": "attend la tâche la plus lente à chaque aller-retour",
    "lesson4.summary.gd.non_iid": "aucune : le gradient est une somme",
    "lesson4.summary.nesterov.local": "un passage de gradient",
    "lesson4.summary.nesterov.stragglers": "attend à chaque aller-retour",
    "lesson4.summary.nesterov.non_iid": "aucune",
    "lesson4.summary.newton.local": "un passage de gradient et de hessienne d × d",
    "lesson4.summary.newton.stragglers": "attend à chaque aller-retour, peu d'allers-retours",
    "lesson4.summary.newton.non_iid": "aucune",
    "lesson4.summary.lbfgs.local": "un passage de gradient (les deux boucles tournent sur le "
                                   "driver)",
    "lesson4.summary.lbfgs.stragglers": "attend à chaque aller-retour, peu d'allers-retours",
    "lesson4.summary.lbfgs.non_iid": "aucune",
    "lesson4.summary.local_sgd.local": "H pas de gradient locaux",
    "lesson4.summary.local_sgd.stragglers": "une attente tous les H pas locaux",
    "lesson4.summary.local_sgd.non_iid": "dérive : la moyenne s'arrête loin de w*.",
    "lesson4.summary.admm.local": "une résolution locale par Newton",
    "lesson4.summary.admm.stragglers": "attend à chaque aller-retour, la résolution est plus "
                                       "longue",
    "lesson4.summary.admm.non_iid": "converge vers w* ; les variables duales absorbent l'écart",
    "lesson4.rounds": "## Des allers-retours, pas des itérations\n\n"
                      "Le bouton fait tourner les six méthodes sur Spark depuis w = 0 sur les "
                      "données de churn. Chaque courbe trace J − J* (J* par la méthode de Newton "
                      "en numpy) selon les allers-retours déjà faits, et selon les octets "
                      "déplacés ; le tableau donne les allers-retours nécessaires pour J − J* ≤ "
                      "10⁻⁶, les octets par aller-retour et les secondes par aller-retour "
                      "mesurées sur cette machine. La descente de gradient et Nesterov prennent "
                      "le pas spectral, Newton et L-BFGS le pas plein, le SGD local 10 pas locaux "
                      "par aller-retour au pas spectral, ADMM ρ = 0,01.",
    "lesson4.rates": "## Vitesses : ce que disent les courbes\n\n"
                     "En échelle logarithmique, une vitesse **linéaire** (eₖ₊₁ ≈ q·eₖ) est une "
                     "droite ; **superlinéaire**, la courbe plonge (eₖ₊₁/eₖ → 0) ; "
                     "**quadratique** (eₖ₊₁ ≈ C·eₖ²), le nombre de chiffres justes double à "
                     "chaque itération ; une vitesse linéaire de q proche de 1 a l'air "
                     "sous-linéaire sur un calcul court (le rapport monte pendant que les "
                     "directions raides s'éteignent). Les bornes classiques après k itérations (L "
                     "la régularité, μ la forte convexité, κ = L/μ) :\n\n"
                     "| objectif | descente de gradient | Nesterov | Newton | SGD |\n"
                     "|---|---|---|---|---|\n| lisse, fortement convexe | (1 − 1/κ)ᵏ, linéaire | "
                     "(1 − 1/√κ)ᵏ, linéaire | quadratique près de w* | O(1/k) avec un pas "
                     "décroissant |\n| lisse, convexe | O(1/k) | O(1/k²) | — | O(1/√k) |\n"
                     "| non lisse, fortement convexe | O(1/k) (sous-gradient) | — | — | O(1/k) |\n"
                     "| non lisse, convexe | O(1/√k) (sous-gradient) | — | — | O(1/√k) |\n\n"
                     "**Coût total = coût d'une itération × nombre d'itérations.** Une itération "
                     "de Newton coûte plus (une hessienne d × d dans chaque tâche, une résolution "
                     "d × d sur le driver), une itération de L-BFGS à peu près autant qu'un pas "
                     "de gradient ; avec le petit d de cette page, le coût d'un aller-retour est "
                     "surtout sa part fixe (ordonnancement, latence, tâche la plus lente : leçon "
                     "3), donc moins d'allers-retours l'emportent. Le tableau ci-dessous "
                     "multiplie les secondes par aller-retour mesurées plus haut par les "
                     "allers-retours jusqu'à 10⁻⁶.",
    "lesson4.lbfgs": "## L-BFGS : un pas à la Newton avec les seuls gradients\n\n"
                     "L-BFGS n'a pas besoin de hessienne : il garde les m dernières paires s = w₊ "
                     "− w, y = ∇J(w₊) − ∇J(w) et transforme le gradient en direction quasi-Newton "
                     "par la récurrence à deux boucles, sur le driver (travail en O(m·d)). La "
                     "partie distribuée n'est que le gradient, un aller-retour par itération "
                     "comme dans la leçon 2. Une paire n'est gardée que si sᵀy > 0 (la condition "
                     "de courbure ; le moteur demande sᵀy > 10⁻⁸‖s‖‖y‖, une marge contre les "
                     "arrondis) : la direction descend toujours. Avancez ci-dessous avec "
                     "**L-BFGS** ou la **descente de gradient** sur les données 2-D (sur Spark) ; "
                     "la figure compare les deux chemins depuis w = 0, le tableau liste les "
                     "paires que garde L-BFGS.",
    "lesson4.mllib": "## La LogisticRegression de Spark\n\n"
                     "`pyspark.ml.classification.LogisticRegression` fait tourner L-BFGS "
                     "(OWL-QN avec une pénalité L1) au-dessus de `treeAggregate` : un "
                     "aller-retour par gradient, comme le nôtre. Le bouton l'ajuste sur les "
                     "mêmes lignes avec regParam = λ₂, elasticNetParam = 0 et sans "
                     "standardisation, c'est-à-dire notre J.",
    "lesson4.local_sgd": "## SGD local : moins d'allers-retours, plus de travail local\n\n"
                         "Chaque partition fait H pas de gradient sur ses propres lignes, puis le "
                         "driver fait la moyenne des modèles, pondérée par les lignes : un "
                         "aller-retour tous les H pas locaux. Le balayage le fait tourner pour "
                         "chaque H, sur des lignes réparties au hasard (IID) et sur des lignes "
                         "groupées par étiquette (non IID).",
    "lesson4.local_sgd_after": "Avec plus de pas locaux, chaque aller-retour va plus loin : il en "
                               "faut moins pour une précision donnée ; mais chaque partition "
                               "dérive vers le minimiseur de ses propres lignes et, avec un pas "
                               "constant, la moyenne s'arrête en un point qui n'est pas w* : le "
                               "plancher d'erreur monte avec H (H = 1 est la descente de gradient "
                               ": pas de plancher, seulement un départ plus lent). Quand les "
                               "partitions tiennent des classes différentes, les minimiseurs "
                               "locaux sont loin les uns des autres et leur moyenne échoue.",
    "lesson4.admm": "## ADMM : résolutions locales et consensus\n\n"
                    "L'ADMM par consensus coupe J en parts des partitions f_p et pénalité g, et "
                    "impose x_p = z pour chaque p. Un aller-retour : chaque partition résout x_p "
                    "= argmin f_p(x) + (ρ/2)‖x − z + u_p‖² (quelques pas de Newton sur ses "
                    "lignes), le driver pose z = argmin g(z) + (Pρ/2)‖z − moyenne(x_p + u_p)‖² et "
                    "u_p ← u_p + x_p − z. Le résidu primal r = ‖x − z‖ dit à quelle distance les "
                    "partitions sont d'un accord, le résidu dual s = ρ√P‖z₊ − z‖ combien z bouge "
                    "encore. ρ trop petit : les partitions écoutent à peine z ; trop grand : z "
                    "bouge à peine. Le bouton lance ADMM pour chaque ρ saisi ci-dessous.",
    "lesson4.lasso": "## Le lasso avec des zéros exacts\n\n"
                     "Avec λ₁‖w‖₁ dans g, l'étape en z est un seuillage doux : les "
                     "coordonnées dont la moyenne passe sous λ₁/(Pρ) deviennent "
                     "**exactement** 0, ce que les méthodes de gradient sur une pénalité "
                     "lissée ne donnent jamais (leçon 1).",
    "lesson4.summary": "## Quelle méthode, quand\n\n"
                       "Les colonnes mesurées viennent des calculs ci-dessus ; les autres "
                       "disent ce que chaque aller-retour demande à une partition et comment "
                       "la méthode réagit à une tâche lente ou à des partitions qui ne se "
                       "ressemblent pas.",
    "lesson4.total_cost": "### Coût total",
    "lesson4.losses": "## Les fonctions de perte comparées\n\n"
                      "Pour des étiquettes y = ±1 et une marge m = y·wᵀx : la **perte 0-1** "
                      "compte les erreurs mais n'a pas de gradient utile ; la **charnière** (SVM "
                      "linéaire) en est la majorante convexe, non dérivable en m = 1 ; la perte "
                      "**logistique** est lisse ; la perte **quadratique** punit aussi les marges "
                      "trop grandes. Le moteur implémente la logistique, la charnière et les "
                      "carrés (`Problem(\"logistic\" | \"hinge\" | \"squares\")`) ; la perte 0-1 "
                      "est ce que compte l'exactitude.",
    "lesson4.history": "### Un peu d'histoire\n\n"
                       "* **Cauchy, 1847** : la descente de gradient, pour résoudre des "
                       "systèmes d'équations d'astronomie.\n"
                       "* **Robbins et Monro, 1951** : l'approximation stochastique, racine "
                       "du SGD (des pas η_k avec Σ η_k = ∞, Σ η_k² < ∞).\n"
                       "* **Nesterov, 1983** : le gradient accéléré, O(1/k²) sur les "
                       "fonctions convexes lisses, optimal parmi les méthodes du premier "
                       "ordre.\n"
                       "* **Beck et Teboulle, 2009** : FISTA, l'accélération de Nesterov pour "
                       "les problèmes proximaux (de type lasso).",
    "lesson4.adaptive": "### Les méthodes adaptatives (une fiche)\n\n"
                        "Elles ajustent le pas de chaque coordonnée selon les gradients déjà vus "
                        ":\n\n"
                        "* **AdaGrad** (Duchi, Hazan et Singer, 2011) : divise par la racine de "
                        "la somme des carrés des gradients ;\n"
                        "* **RMSProp** (Tieleman et Hinton, 2012, notes de cours) : une moyenne "
                        "glissante des carrés à la place ;\n"
                        "* **Adadelta** (Zeiler, 2012) : aussi une moyenne glissante des carrés "
                        "des mises à jour, sans pas global ;\n"
                        "* **Adam** et **AdaMax** (Kingma et Ba, 2015) : inertie plus RMSProp, "
                        "avec correction du biais ; AdaMax prend la norme infinie ;\n"
                        "* **Nadam** (Dozat, 2016) : Adam avec l'anticipation de Nesterov ;\n"
                        "* **kSGD** (Patel, 2016) : le SGD vu comme un filtre de Kalman.\n\n"
                        "Elles ne sont pas dans le moteur : la figure ci-dessous en fait tourner "
                        "de petites versions numpy, toutes sauf kSGD, sur deux fonctions de test "
                        "(une longue vallée et un point-selle), pas sur Spark.",
    "lesson4.four": "## La figure finale de l'atelier\n\n"
                    "Le TP d'origine finissait par quatre courbes sur le churn depuis le même "
                    "départ : descente de gradient, descente de gradient avec inertie, "
                    "mini-lot (10 % des lignes par pas), mini-lot avec inertie ; J selon les "
                    "itérations.",
    "lesson4.remember": "## À retenir\n\n"
                        "* Sur une grappe, comptez les **allers-retours** et les octets : un "
                        "aller-retour paie la latence et la tâche la plus lente.\n"
                        "* Newton et L-BFGS demandent peu d'allers-retours ; L-BFGS au prix "
                        "d'un seul gradient par aller-retour.\n"
                        "* Le SGD local échange des allers-retours contre du travail local, "
                        "et le paie d'un plancher qui monte avec H et avec des données non "
                        "IID.\n"
                        "* ADMM résout des problèmes locaux et atteint le lasso exact avec "
                        "des zéros exacts ; ρ règle sa vitesse.",
    "lesson4.q.rounds.prompt": "Quelle méthode atteint J − J* ≤ 10⁻⁶ sur le churn avec le "
                               "moins d'allers-retours ?",
    "lesson4.q.rounds.gd": "la descente de gradient",
    "lesson4.q.rounds.nesterov": "Nesterov",
    "lesson4.q.rounds.newton": "Newton",
    "lesson4.q.rounds.lbfgs": "L-BFGS",
    "lesson4.q.rounds.local_sgd": "le SGD local",
    "lesson4.q.rounds.admm": "ADMM",
    "lesson4.q.rounds.explain": "{method}, en {rounds} allers-retours sur ce calcul.",
    "lesson4.q.rate.prompt": "Quelle vitesse montrera la courbe de Newton ?",
    "lesson4.q.rate.explain": "Lue sur la courbe mesurée : {kind}.",
    "lesson4.q.mllib.prompt": "La LogisticRegression de MLlib sur les mêmes lignes et le même "
                              "J : à quel point ses coefficients sont-ils proches des nôtres ?",
    "lesson4.q.mllib.digits": "égaux à au moins 3 décimales",
    "lesson4.q.mllib.close": "proches (écarts sous 0,05)",
    "lesson4.q.mllib.different": "nettement différents",
    "lesson4.q.mllib.explain": "Plus grand écart {gap:.1e} après {iterations} itérations de "
                               "MLlib : le même minimiseur, trouvé par un autre L-BFGS.",
    "lesson4.q.non_iid.prompt": "SGD local avec les lignes groupées par étiquette (chaque "
                                "partition presque d'une seule classe) : par rapport à des "
                                "lignes réparties au hasard ?",
    "lesson4.q.non_iid.same": "à peu près aussi près de J*",
    "lesson4.q.non_iid.worse": "nettement plus loin de J*",
    "lesson4.q.non_iid.explain": "À H = {H} : J − J* = {iid:.1e} avec des lignes au hasard, "
                                 "{non_iid:.1e} groupées par étiquette.",
    "lesson4.q.zeros.prompt": "ADMM avec le lasso sur le churn : combien de poids pénalisés "
                              "(tous sauf la constante) sortent exactement à 0 ?",
    "lesson4.q.zeros.explain": "{zeros} sur {penalized} ; le gradient proximal en numpy en "
                               "donne {reference}.",
    "lesson4.adaptive.sgd": "pas de gradient",
    "lesson4.adaptive.momentum": "inertie",
    "lesson4.adaptive.nesterov": "Nesterov",
    "lesson4.adaptive.adagrad": "AdaGrad",
    "lesson4.adaptive.rmsprop": "RMSProp",
    "lesson4.adaptive.adadelta": "Adadelta",
    "lesson4.adaptive.adam": "Adam",
    "lesson4.adaptive.adamax": "AdaMax",
    "lesson4.adaptive.nadam": "Nadam",
    "lesson4.surface.valley": "longue vallée : x²/2 + 50y²",
    "lesson4.surface.saddle": "point-selle : x² − y²",
    "lesson4.adaptive_paths": "Les méthodes de la fiche sauf kSGD, à côté d'un simple pas de "
                              "gradient, de l'inertie et de Nesterov, sur deux surfaces : 60 pas "
                              "chacune depuis le même départ, chaque méthode avec son propre pas "
                              "(de petites versions numpy de la règle de chaque article, pour "
                              "cette page seulement). Dans la longue vallée, la mise à l'échelle "
                              "par coordonnée des méthodes adaptatives égalise les deux courbures "
                              ": leur premier pas est aussi long selon x que selon y, quand un "
                              "pas de gradient va surtout selon y ; au point-selle, elles "
                              "quittent le départ plat selon y plus vite qu'un simple pas de "
                              "gradient.",
}
