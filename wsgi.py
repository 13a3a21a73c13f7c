from quizapp import create_app

app = create_app()
