"""Pure domain of clusterlevers: canvas, designs, atlas, coherence, financing, evaluation.

Nothing in this package imports the CLI, web, storage or export adapters (an import-linter
contract checks it).
"""
