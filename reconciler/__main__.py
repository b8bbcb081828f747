from reconciler.main import run

run()
