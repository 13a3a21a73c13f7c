from quizapp import create_app
from quizapp.quizzes.jobs import start_overdue_closer
from quizapp.serving import settle_for_serving

app = create_app()
# Each server process closes overdue attempts every CLOSE_OVERDUE_EVERY seconds
# (environment: QUIZAPP_CLOSE_OVERDUE_EVERY).
start_overdue_closer(app, float(app.config["CLOSE_OVERDUE_EVERY"]))
settle_for_serving()  # last: what start-up built is kept out of the collector's way
