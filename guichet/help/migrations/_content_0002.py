"""Initial help content, frozen with migration 0002 (platform admins edit it afterwards in the admin site).

Facts come from DOMAIN.md and the service-public.fr sheets of late 2020 (see each guide's `cost_as_of`); the
wording is Guichet's own. Amounts of the CNI and the passport are not written here: the public pages read them
from the regulated values in force.
"""

GUIDES = [
    {
        "slug": "carte-identite",
        "title": "Carte nationale d'identité",
        "title_kind": "cni",
        "summary": "Demander une première carte, la renouveler ou la remplacer après une perte ou un vol.",
        "start_mode": "predemande",
        "position": 10,
        "channels": """La demande se dépose **en personne**, dans une mairie équipée : on y prend vos empreintes. Vous pouvez choisir n'importe quelle mairie équipée, même loin de chez vous.

Pour aller plus vite au guichet :

- remplissez d'abord votre pré-demande en ligne sur Guichet : vous obtenez un numéro à donner à la mairie ;
- prenez rendez-vous, car beaucoup de mairies ne reçoivent que sur rendez-vous.

Sans ordinateur, ou si Internet vous met mal à l'aise, un médiateur numérique peut remplir la pré-demande avec vous dans un point numérique (préfecture, sous-préfecture) ou dans un espace numérique (mairie, France Services, association). Certaines mairies non équipées aident aussi à la préparer.

Pour un enfant mineur, un parent ou le tuteur fait la demande et vient avec l'enfant.""",
        "documents": """Le jour du rendez-vous, apportez les **originaux** :

- votre numéro de pré-demande (ou le récapitulatif avec son QR code) ;
- une photo d'identité de moins de 6 mois, conforme aux normes ;
- un justificatif de domicile de moins d'un an ;
- votre ancienne carte d'identité, ou votre passeport s'il est encore valide ou périmé depuis peu ;
- si vous n'avez ni l'un ni l'autre : un acte de naissance de moins de 3 mois, sauf si votre commune de naissance est raccordée à COMEDEC ;
- après une perte : la déclaration de perte (elle peut se faire sur place) ; après un vol : le récépissé de la déclaration faite à la police ou à la gendarmerie ;
- le timbre fiscal, s'il est dû.

À la fin de la pré-demande, Guichet vous donne la liste exacte selon votre situation.""",
        "cost": "La carte est gratuite quand vous rendez l'ancienne. Si vous ne pouvez pas la présenter (perte ou vol), un timbre fiscal est demandé : vous pouvez l'acheter en ligne pendant la pré-demande, ou chez un buraliste agréé.",
        "cost_as_of": None,
        "delay": """La carte n'est jamais remise le jour du dépôt : le CERT vérifie d'abord le dossier, puis la carte est fabriquée. Le délai dépend de la saison et du lieu ; il s'allonge avant l'été. Comptez aussi le temps d'obtenir un rendez-vous.

Si vous avez donné un numéro de portable, un SMS vous prévient quand la carte est prête. Retirez-la **dans les 3 mois**, dans la mairie où vous avez déposé le dossier : passé ce délai, elle est détruite.""",
        "sections": [
            {
                "anchor": "premiere-demande",
                "title": "Première demande",
                "body": "C'est une première demande si vous n'avez jamais eu de carte, ou si la dernière est périmée depuis plus de 5 ans. Un passeport valide, ou périmé depuis peu, suffit en général à prouver votre identité et votre nationalité. Sinon, la mairie peut vous demander un acte de naissance, et parfois une preuve de nationalité.",
            },
            {
                "anchor": "renouvellement",
                "title": "Renouvellement",
                "body": "Vous pouvez renouveler votre carte quand elle expire dans moins d'un an. Plus tôt, ce n'est possible que si vous n'avez pas de passeport et devez partir dans un pays qui accepte la carte d'identité (apportez une preuve du voyage). En rendant l'ancienne carte, le renouvellement est gratuit. La carte au format carte bancaire, délivrée depuis août 2021, est valable 10 ans.",
            },
            {
                "anchor": "perte-ou-vol",
                "title": "Après une perte ou un vol",
                "body": """- **Perte** : la déclaration peut se faire directement à la mairie, au moment du dépôt.
- **Vol** : déclarez d'abord le vol à la police ou à la gendarmerie, et apportez le récépissé.

Un timbre fiscal est demandé dans les deux cas. Attention : une carte déclarée perdue ou volée est annulée pour de bon, même si vous la retrouvez ensuite.""",
            },
            {
                "anchor": "mineur",
                "title": "Pour un enfant mineur",
                "body": "L'enfant vient avec son parent ou son tuteur, qui présente sa propre pièce d'identité. Les empreintes sont prises à partir de 12 ans. La carte d'un mineur est valable 10 ans et reste utilisable après ses 18 ans.",
            },
        ],
        "faq": [
            {
                "anchor": "quelle-mairie",
                "question": "Dois-je déposer ma demande dans la mairie de ma commune ?",
                "answer": "Non. Toute mairie équipée d'un dispositif de recueil accepte votre demande, où que vous habitiez. Choisissez celle qui a un rendez-vous le plus tôt ou qui est la plus pratique pour vous.",
            },
            {
                "anchor": "pre-demande-obligatoire",
                "question": "La pré-demande en ligne est-elle obligatoire ?",
                "answer": "Non, mais elle fait gagner du temps au guichet et évite les erreurs de saisie. Sans pré-demande, vous remplissez un formulaire papier sur place.",
            },
            {
                "anchor": "deposer-a-ma-place",
                "question": "Quelqu'un peut-il déposer la demande à ma place ?",
                "answer": "Non : votre présence est obligatoire, car on prend vos empreintes. Si une maladie grave vous empêche de vous déplacer, contactez la mairie : avec un certificat médical, un déplacement chez vous peut être organisé.",
            },
            {
                "anchor": "retrait-tardif",
                "question": "Ma carte est prête mais je ne peux pas aller la chercher tout de suite. Que se passe-t-il ?",
                "answer": "Vous avez 3 mois pour la retirer dans la mairie de dépôt. Au-delà, elle est détruite et il faut refaire une demande.",
            },
            {
                "anchor": "carte-retrouvee",
                "question": "J'ai retrouvé ma carte après l'avoir déclarée perdue : puis-je la réutiliser ?",
                "answer": "Non. La déclaration l'a annulée définitivement : elle n'est plus valable, ni en France ni pour voyager. Gardez ou rapportez-la à la mairie, mais ne vous en servez plus.",
            },
        ],
    },
    {
        "slug": "passeport",
        "title": "Passeport",
        "title_kind": "passeport",
        "summary": "Demander un passeport pour un adulte ou un enfant, le renouveler ou le remplacer.",
        "start_mode": "predemande",
        "position": 20,
        "channels": """Le parcours est le même que pour la carte d'identité : la demande se dépose **en personne** dans une mairie équipée, au choix, où l'on prend vos empreintes.

- Faites votre pré-demande en ligne sur Guichet et achetez le timbre fiscal au même moment.
- Prenez rendez-vous dans une mairie équipée.
- Un médiateur numérique peut vous aider dans un point numérique ou un espace numérique.

Vous pouvez demander la carte d'identité et le passeport dans la même pré-demande.""",
        "documents": """Apportez les **originaux** :

- votre numéro de pré-demande ;
- une photo d'identité de moins de 6 mois, conforme aux normes ;
- un justificatif de domicile de moins d'un an ;
- le timbre fiscal électronique ;
- votre ancien passeport, ou votre carte d'identité valide ou périmée depuis moins de 5 ans ;
- sinon, un acte de naissance de moins de 3 mois (sauf si votre commune de naissance est raccordée à COMEDEC) ;
- après un vol : le récépissé de déclaration ; après une perte : la déclaration, qui peut se faire sur place.""",
        "cost": "Le montant du timbre fiscal dépend de l'âge de la personne le jour de la demande. Il est le même pour une première demande, un renouvellement ou un remplacement.",
        "cost_as_of": None,
        "delay": """Le passeport est fabriqué après la vérification du dossier : il n'est jamais remis le jour même. Le délai varie selon la saison et le lieu ; il est plus long avant l'été.

Vous êtes prévenu par SMS quand il est prêt (si vous avez donné un portable). Retirez-le **dans les 3 mois** à la mairie de dépôt : vous le signez sur place. Passé ce délai, il est détruit.""",
        "sections": [
            {
                "anchor": "premiere-demande",
                "title": "Première demande ou renouvellement",
                "body": "Une carte d'identité valide, ou périmée depuis moins de 5 ans, suffit en général à prouver votre identité. Sinon, apportez un acte de naissance et, si besoin, une preuve de nationalité. L'ancien passeport est rendu à la mairie ; vous pouvez demander à le garder s'il contient un visa encore valable. Le passeport d'un adulte est valable 10 ans.",
            },
            {
                "anchor": "mineur",
                "title": "Pour un enfant mineur",
                "body": "Le parent ou le tuteur fait la demande et vient avec l'enfant. Le passeport d'un mineur est valable 5 ans. Au retrait : avant 12 ans, le parent signe seul ; entre 12 et 13 ans, l'enfant vient avec son parent ; à partir de 13 ans, l'enfant peut signer lui-même avec l'accord du parent.",
            },
            {
                "anchor": "perte-ou-vol",
                "title": "Après une perte ou un vol",
                "body": "Déclarez le vol à la police ou à la gendarmerie ; une perte peut être déclarée directement à la mairie lors du dépôt. Le tarif est le même que pour une première demande. Le passeport déclaré perdu ou volé est annulé définitivement et signalé aux polices étrangères.",
            },
            {
                "anchor": "urgence",
                "title": "Départ urgent : le passeport temporaire",
                "body": "Pour une urgence médicale, humanitaire ou professionnelle que vous pouvez prouver, la préfecture peut délivrer un passeport temporaire, souvent le jour même. Il est valable 1 an, n'est pas biométrique et ne permet pas toujours d'entrer dans certains pays sans visa. La préfecture décide au cas par cas ; un timbre fiscal spécifique est demandé.",
            },
        ],
        "faq": [
            {
                "anchor": "acheter-timbre",
                "question": "Comment acheter le timbre fiscal ?",
                "answer": "En ligne, pendant la pré-demande sur Guichet, ou chez un buraliste qui affiche « point de vente agréé ». Le timbre électronique prend la forme d'un numéro de 16 chiffres ou d'un document avec un code 2D. Il n'est pas à votre nom : un proche peut l'acheter pour vous.",
            },
            {
                "anchor": "timbre-non-utilise",
                "question": "J'ai acheté un timbre que je n'ai pas utilisé : puis-je être remboursé ?",
                "answer": "Oui, pendant un certain temps après l'achat. Un timbre acheté en ligne se rembourse en ligne ; un timbre acheté chez un buraliste se rembourse avec un formulaire. Sur Guichet, le remboursement d'un timbre acheté pendant la pré-demande se demande depuis la pré-demande.",
            },
            {
                "anchor": "enfant-present",
                "question": "Mon enfant doit-il venir au rendez-vous ?",
                "answer": "Oui, l'enfant doit être présent au dépôt de la demande, avec son parent. Les empreintes sont prises à partir de 12 ans.",
            },
            {
                "anchor": "photo",
                "question": "Quelle photo faut-il ?",
                "answer": "Une photo en couleur de moins de 6 mois, de 35 × 45 mm, sur fond clair uni (mais pas blanc), visage neutre et bouche fermée. Faites-la chez un photographe ou dans une cabine agréée.",
            },
        ],
    },
    {
        "slug": "permis-de-conduire",
        "title": "Permis de conduire",
        "title_kind": "permis",
        "summary": "Premier permis, renouvellement, perte ou vol, échange d'un permis étranger : tout se fait en ligne, seul ou avec une école de conduite.",
        "start_mode": "driving_school",
        "position": 30,
        "channels": """Toutes les démarches de permis se font **en ligne** : il n'y a plus de guichet. Trois façons de faire :

- **vous-même**, avec un compte en ligne ou FranceConnect ;
- **par votre école de conduite**, qui est un tiers de confiance agréé : elle peut vous inscrire à l'examen (ce qui vous donne un numéro NEPH) et demander votre permis après votre réussite. Elle peut facturer ce service ;
- **avec un médiateur numérique**, dans un point numérique ou un espace numérique, si vous avez besoin d'aide.

Le permis est envoyé chez vous par courrier suivi, remis contre signature.""",
        "documents": """Selon la démarche, on vous demande des copies numériques (scan ou photo lisible) de :

- une pièce d'identité ;
- un justificatif de domicile de moins de 6 mois ;
- le code de votre photo-signature numérique, faite chez un photographe ou dans une cabine agréés ;
- pour un premier permis avant 21 ans : l'attestation scolaire de sécurité routière (ASSR 2) ou l'attestation de sécurité routière (ASR) ;
- selon votre situation : attestation de la journée défense et citoyenneté, avis médical, déclaration de vol, traduction officielle d'un permis étranger.""",
        "cost": """- Inscription à l'examen, premier permis, renouvellement, échange : **gratuit**.
- Remplacement d'un permis perdu ou volé : **25 €**, payés en ligne.
- Chaque passage de l'épreuve du code dans un centre agréé : **30 €**.
- Les leçons de conduite se règlent à l'école de conduite, qui fixe librement ses prix.""",
        "cost_as_of": "2020-11-01",
        "delay": """Après la réussite à l'épreuve pratique, le résultat est en ligne sous 48 heures. Le certificat d'examen (CEPC) vous permet de conduire en France pendant 4 mois, avec une pièce d'identité, en attendant le permis.

Ensuite, le délai dépend de la vérification du dossier : vous suivez l'avancement en ligne et recevez un courriel à chaque étape importante. Si vous êtes absent au passage du facteur, vous avez 15 jours pour retirer le pli à La Poste ; après, il repart à l'expéditeur.""",
        "sections": [
            {
                "anchor": "premier-permis",
                "title": "Premier permis, avec une école de conduite",
                "body": "L'école de conduite vous inscrit en ligne : vous recevez votre numéro NEPH. Elle vous prépare au code et à la conduite, puis, une fois l'épreuve pratique réussie, elle peut demander la fabrication de votre permis à votre place. Vous pouvez aussi passer l'examen en candidat libre : vous faites alors l'inscription et la demande vous-même. Le permis B peut se passer dès 17 ans depuis 2024. Le premier permis est probatoire : 6 points au départ, 12 au bout de 3 ans (2 ans après une conduite accompagnée).",
            },
            {
                "anchor": "renouvellement",
                "title": "Renouveler un permis arrivé à expiration",
                "body": "Le permis au format carte, délivré depuis 2013, est valable 15 ans. Son renouvellement est une simple démarche en ligne, gratuite, sans nouvel examen. Les anciens permis roses en papier restent valables jusqu'au 19 janvier 2033. Pour les poids lourds et les transports en commun, la durée est plus courte et un avis médical est nécessaire.",
            },
            {
                "anchor": "perte-ou-vol",
                "title": "Après une perte ou un vol",
                "body": """- **Perte** : déclarez-la en ligne, dans la demande de nouveau permis. Une fois la déclaration vérifiée, vous pouvez télécharger une attestation qui vous permet de conduire pendant 2 mois.
- **Vol** : déclarez d'abord le vol à la police ou à la gendarmerie. Le récépissé vous permet de conduire en France pendant 2 mois. Faites ensuite la demande en ligne.

Dans les deux cas, le remplacement coûte 25 €. Un permis déclaré perdu ne peut plus être utilisé, même retrouvé.""",
            },
            {
                "anchor": "echange-permis-etranger",
                "title": "Échanger un permis obtenu hors de l'Union européenne",
                "body": """Si vous vous installez en France avec un permis d'un pays hors de l'Union européenne, il est reconnu pendant 1 an à partir du début de votre résidence normale en France. Demandez l'échange en ligne avant la fin de ce délai.

Préparez : une copie couleur du permis et sa traduction officielle, une attestation de vos droits à conduire de moins de 3 mois, votre titre de séjour, un justificatif de domicile et le code de votre photo-signature. On vous demandera ensuite de déposer l'original du permis, contre une attestation de dépôt. Le traitement peut prendre plusieurs mois.

Avec un permis d'un pays de l'Union européenne ou de l'Espace économique européen, l'échange n'est obligatoire que dans quelques cas (nouvelle catégorie, infraction entraînant un retrait de points).""",
            },
            {
                "anchor": "demenagement",
                "title": "Changement d'adresse ou de nom",
                "body": "Un déménagement ne demande aucune démarche : l'adresse n'est pas imprimée sur le permis. Après un changement de nom ou de prénom (décision de justice, divorce), vous pouvez demander un nouveau permis en ligne, gratuitement. Un mariage ne change rien : seul le nom de naissance figure sur le permis.",
            },
        ],
        "faq": [
            {
                "anchor": "numero-neph",
                "question": "Qu'est-ce que le numéro NEPH et où le trouver ?",
                "answer": "C'est le numéro donné lors de votre inscription au permis. Il figure sur votre attestation d'inscription ; votre école de conduite le connaît. Sur le permis au format carte, c'est le numéro du permis.",
            },
            {
                "anchor": "photo-signature",
                "question": "Qu'est-ce qu'une photo-signature numérique ?",
                "answer": "Un photographe ou une cabine agréés prennent votre photo et votre signature, les envoient sur un serveur sécurisé et vous remettent une planche avec un code. Vous saisissez ce code dans la démarche en ligne. Attendez un ou deux jours avant de l'utiliser.",
            },
            {
                "anchor": "ecole-toute-la-demarche",
                "question": "Mon école de conduite peut-elle faire toute la démarche pour moi ?",
                "answer": "Oui, avec votre accord : elle peut vous inscrire, réserver les examens et demander le permis après votre réussite. Elle peut vous facturer ce service. Vous pouvez aussi tout faire vous-même.",
            },
            {
                "anchor": "facteur-absent",
                "question": "Le facteur est passé pendant mon absence : comment récupérer mon permis ?",
                "answer": "Allez à La Poste dans les 15 jours avec l'avis de passage et une pièce d'identité. Passé ce délai, le permis repart et il faut contacter le service des titres pour le recevoir à nouveau.",
            },
        ],
    },
    {
        "slug": "carte-grise",
        "title": "Carte grise (certificat d'immatriculation)",
        "title_kind": "carte_grise",
        "summary": "Immatriculer un véhicule neuf ou d'occasion, changer d'adresse, obtenir un duplicata, vendre son véhicule.",
        "start_mode": "car_professional",
        "position": 40,
        "channels": """Les démarches de carte grise se font **en ligne** : les préfectures n'ont plus de guichet pour cela. Deux façons de faire :

- **vous-même en ligne** : la connexion par FranceConnect est souvent demandée ; le paiement se fait par carte bancaire ;
- **par un professionnel de l'automobile habilité** (garage, concessionnaire) : vous lui confiez la démarche par un mandat. Il peut facturer son service en plus des taxes, et vous remet tout de suite le certificat provisoire (CPI). Certaines opérations ne lui sont pas ouvertes (véhicule venant de l'étranger, succession, changement d'état civil) : faites-les en ligne.

Un médiateur numérique peut vous aider dans un point numérique ou un espace numérique.

À la fin, vous obtenez un numéro de dossier et un CPI à imprimer. La carte grise arrive chez vous sous pli sécurisé.""",
        "documents": """Selon l'opération, préparez :

- un justificatif de domicile de moins de 6 mois et une pièce d'identité ;
- pour un véhicule d'occasion : l'ancienne carte grise barrée avec la mention « Vendu le … » ou « Cédé le … » et signée, le code de cession donné par le vendeur, et un contrôle technique de moins de 6 mois si le véhicule a plus de 4 ans ;
- le permis correspondant au véhicule et une assurance : vous les déclarez, une copie peut vous être demandée ;
- si quelqu'un fait la démarche pour vous : un mandat signé et une copie de votre pièce d'identité.""",
        "cost": """Le prix d'une carte grise additionne plusieurs taxes :

- la **taxe régionale**, selon la puissance fiscale du véhicule (en chevaux fiscaux) et le tarif de votre région ; elle est réduite de moitié pour un véhicule de plus de 10 ans ;
- un **malus** pour un véhicule neuf qui émet beaucoup de CO₂ ou qui est très lourd ;
- une taxe pour la formation professionnelle, pour les véhicules utilitaires ;
- une **taxe fixe** de 11 € ;
- la **redevance d'acheminement** de 2,76 €.

Exemple : une voiture d'occasion de 7 chevaux fiscaux, de moins de 10 ans, en Bretagne, en mars 2025 : 7 × 60 € + 11 € + 2,76 € = 433,76 €.

Le changement d'adresse est gratuit les trois premières fois. Un professionnel habilité peut ajouter le prix de son service.""",
        "cost_as_of": "2025-03-01",
        "delay": """En général, la carte arrive **sous 7 jours ouvrés**. Si un agent doit vérifier votre dossier, vous êtes prévenu par courriel et la fabrication ne commence qu'après. En cas d'absence au passage du facteur, vous avez 15 jours pour retirer le pli à La Poste.

Délais à respecter :

- l'acheteur a **1 mois** après l'achat pour mettre la carte grise à son nom ;
- le vendeur déclare la vente **dans les 15 jours** ;
- un changement d'adresse se déclare dans le mois.""",
        "sections": [
            {
                "anchor": "changement-titulaire",
                "title": "Véhicule d'occasion : mettre la carte grise à son nom",
                "body": "Le vendeur vous remet la carte grise barrée et signée, le code de cession, le certificat de situation administrative et, si besoin, le contrôle technique. Vous faites la demande en ligne, ou chez un professionnel habilité, dans le mois qui suit l'achat. Vous gardez le même numéro d'immatriculation, sauf pour un ancien numéro de type 1234 AB 56, qui est remplacé.",
            },
            {
                "anchor": "vehicule-neuf",
                "title": "Véhicule neuf acheté chez un professionnel",
                "body": "Le plus souvent, le vendeur fait la demande lui-même, avec un mandat que vous signez. Il vous remet le CPI : les plaques peuvent être posées tout de suite. Pour un véhicule neuf acheté à l'étranger, la demande se fait en ligne, avec les documents douaniers ou fiscaux demandés.",
            },
            {
                "anchor": "changement-adresse",
                "title": "Changement d'adresse",
                "body": "Déclarez votre nouvelle adresse en ligne dans le mois. Pour les trois premiers changements, vous recevez gratuitement une étiquette à coller sur la carte, en 7 jours ouvrés environ. Au quatrième, une nouvelle carte est fabriquée (2,76 €). Si votre numéro est de l'ancien type (1234 AB 56), le véhicule reçoit un nouveau numéro et il faut changer les plaques.",
            },
            {
                "anchor": "duplicata",
                "title": "Duplicata : carte perdue, volée ou abîmée",
                "body": "Après un vol, déclarez-le d'abord à la police ou à la gendarmerie. La demande de duplicata se fait en ligne ; prévoyez un contrôle technique valide si le véhicule a plus de 4 ans. Le duplicata coûte la taxe régionale d'un cheval fiscal, plus la taxe fixe et la redevance d'acheminement. Une carte retrouvée après la demande n'est plus valable.",
            },
            {
                "anchor": "vente",
                "title": "Vendre ou donner son véhicule",
                "body": "Déclarez la cession en ligne dans les 15 jours. Vous obtenez un code de cession, valable 15 jours, à donner à l'acheteur avec la carte barrée et signée, le formulaire de cession et un certificat de situation administrative de moins de 15 jours. Sans FranceConnect, le code confidentiel reçu avec la carte grise permet de faire la déclaration.",
            },
        ],
        "faq": [
            {
                "anchor": "cpi",
                "question": "À quoi sert le certificat provisoire d'immatriculation (CPI) ?",
                "answer": "Il vous permet de circuler en France pendant un mois, en attendant la carte grise. Imprimez-le à la fin de la démarche et gardez-le dans le véhicule. Il ne permet pas de voyager à l'étranger.",
            },
            {
                "anchor": "code-cession",
                "question": "Qu'est-ce que le code de cession ?",
                "answer": "Le vendeur l'obtient en déclarant la vente en ligne et vous le remet. Vous en avez besoin pour faire la carte grise à votre nom. Il est valable 15 jours : demandez-le au vendeur au moment de l'achat.",
            },
            {
                "anchor": "frais-professionnel",
                "question": "Un professionnel peut-il me faire payer la démarche ?",
                "answer": "Oui. Les taxes sont les mêmes partout, mais le professionnel habilité peut ajouter le prix de son service, qu'il fixe librement. Il doit vous l'indiquer avant que vous signiez le mandat. Méfiez-vous des sites qui font payer une démarche que vous pouvez faire vous-même.",
            },
            {
                "anchor": "sans-franceconnect",
                "question": "Je n'ai pas de compte FranceConnect : comment faire ?",
                "answer": "Vous pouvez utiliser un compte que vous avez sans doute déjà : impôts, Assurance maladie, Identité numérique La Poste, MSA. Sinon, un médiateur numérique peut vous aider à vous connecter, ou un professionnel habilité peut faire la démarche pour vous.",
            },
            {
                "anchor": "delai-achat",
                "question": "Combien de temps ai-je pour faire la carte grise après un achat ?",
                "answer": "Un mois. Au-delà, vous risquez une amende en cas de contrôle. Le contrôle technique, lui, doit dater de moins de 6 mois le jour de la demande.",
            },
        ],
    },
]

GENERAL_FAQ = [
    {
        "anchor": "besoin-d-aide",
        "question": "Je n'ai pas d'ordinateur, ou je ne suis pas à l'aise avec Internet : qui peut m'aider ?",
        "answer": "Les points numériques des préfectures et de la plupart des sous-préfectures mettent à votre disposition un ordinateur, un scanner et une imprimante, avec un médiateur numérique pour vous guider. Des espaces numériques existent aussi dans des mairies, des maisons France Services et des associations. Cherchez le plus proche dans l'[annuaire des lieux](/lieux/?service=mediateur).",
    },
    {
        "anchor": "gratuit",
        "question": "Les démarches sur Guichet sont-elles payantes ?",
        "answer": "Non, Guichet est gratuit. Vous ne payez que les timbres fiscaux et les taxes prévus par la loi, dont le montant est affiché sur chaque fiche. Méfiez-vous des sites privés qui font payer ces démarches.",
    },
    {
        "anchor": "mandat",
        "question": "Pourquoi me demande-t-on de signer un mandat ?",
        "answer": "Quand un médiateur, une école de conduite ou un garage fait une démarche à votre place, le mandat prouve que vous êtes d'accord. Il dit pour quelle démarche et pour combien de temps. Vous le voyez dans votre compte et pouvez le retirer à tout moment.",
    },
    {
        "anchor": "suivre",
        "question": "Comment savoir où en est ma demande ?",
        "answer": "Depuis votre compte, dans « Mes démarches ». Sans compte, la page [Suivre ma demande](/suivi/) vous donne l'état d'une demande de carte d'identité ou de passeport à partir du numéro du récépissé et de votre date de naissance.",
    },
]

LEXICON = [
    (
        "tele-procedure",
        "télé-procédure",
        "",
        "téléprocédure, télé-procédures, téléprocédures",
        "Démarche administrative faite entièrement sur Internet, sans se déplacer à un guichet.",
    ),
    (
        "point-numerique",
        "point numérique",
        "",
        "points numériques",
        "Ordinateur, imprimante et scanner mis à disposition dans une préfecture ou une sous-préfecture pour faire ses démarches en ligne, avec l'aide d'un médiateur numérique si besoin.",
    ),
    (
        "espace-numerique",
        "espace numérique",
        "",
        "espaces numériques",
        "Lieu semblable à un point numérique, mais en dehors des préfectures : mairie, maison France Services, association… Un médiateur peut y être présent ou non.",
    ),
    (
        "mediateur-numerique",
        "médiateur numérique",
        "",
        "médiateurs numériques, médiateur, médiateurs",
        "Personne qui accompagne les usagers dans leurs démarches en ligne : elle explique, montre comment faire et, si vous lui donnez un mandat, peut faire la démarche avec vous.",
    ),
    (
        "dispositif-de-recueil",
        "dispositif de recueil",
        "",
        "dispositifs de recueil",
        "Poste équipé d'un lecteur d'empreintes et d'un scanner, installé dans certaines mairies, qui sert à enregistrer les demandes de carte d'identité et de passeport.",
    ),
    (
        "mairie-equipee",
        "mairie équipée",
        "",
        "mairies équipées",
        "Mairie qui dispose d'au moins un dispositif de recueil : c'est là que se déposent les demandes de carte d'identité et de passeport, quel que soit votre domicile.",
    ),
    (
        "tiers-de-confiance",
        "tiers de confiance",
        "",
        "",
        "Professionnel reconnu par l'État pour faire certaines démarches en ligne à la place de ses clients : les écoles de conduite agréées pour le permis, les professionnels de l'automobile habilités pour la carte grise. Il peut facturer ce service.",
    ),
    (
        "pre-demande",
        "pré-demande",
        "",
        "prédemande, pré-demandes, prédemandes",
        "Formulaire de carte d'identité ou de passeport rempli en ligne avant d'aller en mairie. Il donne un numéro de 10 caractères qui permet à la mairie de retrouver vos informations.",
    ),
    (
        "neph",
        "NEPH",
        "Numéro d'enregistrement préfectoral harmonisé",
        "",
        "Numéro attribué à un candidat au permis de conduire lors de son inscription. Il le garde ensuite : c'est le numéro du permis au format carte.",
    ),
    (
        "cpi",
        "CPI",
        "Certificat provisoire d'immatriculation",
        "",
        "Document à imprimer à la fin d'une démarche de carte grise. Il permet de circuler en France pendant un mois, en attendant la carte définitive.",
    ),
    (
        "cepc",
        "CEPC",
        "Certificat d'examen du permis de conduire",
        "",
        "Document obtenu après la réussite à l'épreuve pratique du permis. Avec une pièce d'identité, il permet de conduire en France pendant 4 mois, en attendant le permis.",
    ),
    (
        "timbre-fiscal",
        "timbre fiscal",
        "",
        "timbre fiscal électronique, timbres fiscaux, timbres fiscaux électroniques",
        "Moyen de payer une taxe due à l'État, par exemple pour un passeport. Le timbre électronique s'achète en ligne ou chez un buraliste agréé ; il prend la forme d'un numéro de 16 chiffres ou d'un document avec un code 2D.",
    ),
    (
        "ants",
        "ANTS",
        "Agence nationale des titres sécurisés",
        "",
        "Établissement public qui gère les outils informatiques des titres sécurisés (carte d'identité, passeport, permis, carte grise) et fait fabriquer ces titres. Elle s'appelle France Titres depuis 2024.",
    ),
    (
        "cert",
        "CERT",
        "Centre d'expertise et de ressources titres",
        "",
        "Service de l'État qui examine les demandes de titres : il les accepte, demande un complément ou les refuse. La mairie, elle, reçoit le dossier mais ne décide pas.",
    ),
    (
        "franceconnect",
        "FranceConnect",
        "",
        "",
        "Bouton de connexion qui permet d'utiliser un compte que vous avez déjà (impôts, Assurance maladie, Identité numérique La Poste, MSA…) pour vous identifier sur un autre service public, sans nouveau mot de passe.",
    ),
    (
        "siv",
        "SIV",
        "Système d'immatriculation des véhicules",
        "",
        "Fichier national des véhicules et de leurs titulaires. Les numéros de la forme AA-123-AA y sont attribués au véhicule pour toute sa vie.",
    ),
    (
        "agrement",
        "agrément",
        "",
        "agréments",
        "Autorisation donnée par la préfecture à une école de conduite. Elle lui permet notamment de faire les démarches de permis pour ses élèves.",
    ),
    (
        "habilitation",
        "habilitation",
        "",
        "habilitations",
        "Autorisation donnée par la préfecture à un professionnel de l'automobile pour faire certaines démarches de carte grise pour ses clients. Elle peut être suspendue ou retirée.",
    ),
    (
        "mandat",
        "mandat",
        "",
        "mandats",
        "Accord par lequel vous autorisez une personne ou un organisme à faire une démarche pour vous. Il précise quelle démarche et pour combien de temps ; vous pouvez le retirer à tout moment.",
    ),
    (
        "recepisse",
        "récépissé",
        "",
        "récépissés",
        "Document qui prouve qu'une demande ou une déclaration a bien été enregistrée : au dépôt d'une demande en mairie, après une déclaration de vol…",
    ),
    (
        "code-de-cession",
        "code de cession",
        "",
        "",
        "Code que le vendeur d'un véhicule obtient en déclarant la vente en ligne. Il le donne à l'acheteur, qui en a besoin pour faire sa carte grise. Il est valable 15 jours.",
    ),
    (
        "photo-signature",
        "photo-signature numérique",
        "",
        "photo-signature, e-photo",
        "Photo et signature prises par un photographe ou une cabine agréés, gardées sur un serveur sécurisé. Le code imprimé sur la planche permet de les joindre à une démarche de permis.",
    ),
    (
        "justificatif-de-domicile",
        "justificatif de domicile",
        "",
        "justificatifs de domicile",
        "Document récent à votre nom et à votre adresse : facture d'énergie, d'eau ou de téléphone, avis d'impôt, quittance de loyer, attestation d'assurance habitation… Si vous êtes hébergé, votre hébergeur fournit une attestation, sa pièce d'identité et son propre justificatif.",
    ),
    (
        "comedec",
        "COMEDEC",
        "Communication électronique des données de l'état civil",
        "",
        "Échange sécurisé des actes d'état civil entre mairies et administrations. Si votre commune de naissance y est raccordée, vous n'avez pas d'acte de naissance à fournir.",
    ),
    (
        "france-services",
        "France Services",
        "",
        "maison France Services, maisons France Services",
        "Lieu d'accueil de proximité où des agents aident pour les démarches de plusieurs administrations. Beaucoup proposent un espace numérique.",
    ),
]

_FIND_HELP = "Dans l'[annuaire](/lieux/), tapez le nom de votre commune ou votre code postal, puis lancez la recherche."

TUTORIALS = [
    {
        "slug": "faire-sa-pre-demande",
        "title": "Faire sa pré-demande de carte d'identité ou de passeport",
        "summary": "De la fiche de la démarche au rendez-vous en mairie, en six étapes.",
        "guide": "carte-identite",
        "position": 10,
        "steps": [
            (
                "Ouvrir la fiche de la démarche",
                "Depuis la page « Démarches », choisissez la carte d'identité ou le passeport. La fiche dit qui peut faire la demande, ce qu'il faut apporter, le prix et le délai. Cliquez sur « Commencer la pré-demande ».",
                "help/tutoriels/pre-demande-1-fiche.png",
                "La fiche de la carte d'identité sur Guichet, avec le bouton « Commencer la pré-demande ».",
            ),
            (
                "Se connecter ou créer un compte",
                "Connectez-vous avec votre adresse électronique et votre mot de passe, ou créez un compte. Votre pré-demande est enregistrée dans ce compte : vous pourrez l'interrompre et la reprendre plus tard.",
                "help/tutoriels/pre-demande-2-connexion.png",
                "La page de connexion de Guichet, avec les champs adresse électronique et mot de passe.",
            ),
            (
                "Choisir le titre et le motif",
                "Cochez la carte d'identité, le passeport ou les deux, indiquez pour qui est la demande (vous ou un enfant) et le motif : première demande, renouvellement, perte, vol…",
                "help/tutoriels/pre-demande-3-debut.png",
                "Le formulaire de début de pré-demande : titres demandés, pour qui, motif.",
            ),
            (
                "Remplir les étapes",
                "Répondez aux questions étape par étape : état civil, adresse, parents, numéro de portable pour être prévenu par SMS. Chaque étape est enregistrée quand vous passez à la suivante.",
                "help/tutoriels/pre-demande-4-etapes.svg",
                "Schéma d'un formulaire en plusieurs étapes, avec une barre de progression.",
            ),
            (
                "Noter le numéro et préparer les pièces",
                "À la fin, Guichet affiche votre numéro de pré-demande, un QR code et la liste des pièces originales à apporter. Imprimez ou notez ce numéro. Si un timbre fiscal est dû, vous pouvez l'acheter à ce moment-là.",
                "help/tutoriels/pre-demande-5-numero.svg",
                "Schéma d'un récapitulatif avec un numéro de dix caractères, un QR code et une liste de pièces.",
            ),
            (
                "Prendre rendez-vous en mairie équipée",
                "Cherchez un rendez-vous dans une mairie équipée, près de chez vous ou ailleurs. Le jour venu, apportez votre numéro et les originaux : on prend vos empreintes et on vous remet un récépissé.",
                "help/tutoriels/pre-demande-6-rendez-vous.png",
                "La page de recherche d'un rendez-vous en mairie sur Guichet.",
            ),
        ],
    },
    {
        "slug": "trouver-de-l-aide",
        "title": "Trouver un point numérique ou une mairie équipée près de chez soi",
        "summary": "Chercher dans l'annuaire un lieu pour se faire aider ou pour déposer sa demande.",
        "guide": None,
        "position": 20,
        "steps": [
            (
                "Ouvrir l'annuaire des lieux",
                "Depuis le menu, choisissez « Trouver un lieu ». " + _FIND_HELP,
                "help/tutoriels/aide-1-annuaire.png",
                "La page de recherche de l'annuaire, avec le champ commune ou code postal.",
            ),
            (
                "Choisir ce que vous cherchez",
                "Pour être accompagné, choisissez le service « Accompagnement par un médiateur numérique ». Pour déposer une demande de carte d'identité ou de passeport, choisissez « Dépôt d'une demande … (dispositif de recueil) ». Vous pouvez aussi n'afficher que les lieux ouverts en ce moment.",
                "help/tutoriels/aide-2-filtres.svg",
                "Schéma des filtres de recherche : type de lieu, service, distance, ouvert maintenant.",
            ),
            (
                "Lire la fiche du lieu",
                "Les résultats sont classés du plus proche au plus loin. Ouvrez un lieu pour voir son adresse, ses horaires, les services proposés, l'accessibilité et comment obtenir un rendez-vous.",
                "help/tutoriels/aide-3-resultats.png",
                "La liste des lieux trouvés près d'une commune, avec leur distance.",
            ),
        ],
    },
    {
        "slug": "suivre-sa-demande",
        "title": "Suivre sa demande de carte d'identité ou de passeport",
        "summary": "Savoir où en est sa demande et quand aller chercher son titre.",
        "guide": "passeport",
        "position": 30,
        "steps": [
            (
                "Ouvrir la page de suivi",
                "Choisissez « Suivre ma demande » dans le menu. Si vous avez un compte, la page « Mes démarches » montre aussi l'état de chaque dossier.",
                "help/tutoriels/suivi-1-page.png",
                "La page « Suivre ma demande » de Guichet, avec ses deux champs.",
            ),
            (
                "Saisir le numéro et la date de naissance",
                "Tapez le numéro inscrit sur le récépissé remis à la mairie, puis la date de naissance de la personne qui demande le titre.",
                "help/tutoriels/suivi-2-saisie.svg",
                "Schéma du formulaire de suivi rempli : numéro de récépissé et date de naissance.",
            ),
            (
                "Aller chercher son titre",
                "Quand le titre est prêt, vous recevez un SMS si vous avez donné un numéro de portable. Allez le chercher dans la mairie du dépôt dans les 3 mois, avec votre récépissé et votre ancien titre.",
                "help/tutoriels/suivi-3-retrait.svg",
                "Schéma d'un téléphone qui reçoit un SMS « Votre titre est disponible ».",
            ),
        ],
    },
]
