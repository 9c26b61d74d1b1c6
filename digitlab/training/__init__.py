"""Training: the trainer and what steers it, and a run as the app sees it.

trainer.train(cfg) yields events (events.py) step by step (parts.py: the loop's pieces); a live
run's settings change through steering.py, reach the optimizer through knobs.py and the lr curve
through schedule.py; live.py runs the trainer in a thread for the app, view.py is what the app
shows of it. settings.py is the Train tab's table of settings; checkpoint.py saves and loads a
run (its model, settings and training state); export.py writes a run as a standalone script;
pen_data.py adds the pen digits to a run's data.
"""
