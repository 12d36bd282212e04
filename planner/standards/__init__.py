"""Service standards: purpose statement, phrase lexicon, refresher training, shout-outs."""
