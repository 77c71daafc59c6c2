from guichet.dossiers.tests.fixtures import *  # noqa: F403
