from clusterlevers.cli.main import run

run()
