"""`flask users create`."""

from quizapp.auth.models import User
from quizapp.auth.roles import Role
from quizapp.extensions import db


def create(runner, *args, password="a-long-enough-pw"):
    return runner.invoke(args=["users", "create", *args, "--password-stdin"],
                         input=password + "\n")


def test_creates_a_user_with_role_and_display_name(runner, app):
    result = create(runner, "Liu_Yang", "--role", "coordinator", "--display-name", "刘洋")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).filter_by(username="liu_yang").one()
        assert (user.role, user.display_name) == (Role.COORDINATOR, "刘洋")
        assert user.password_hash.startswith("$argon2id$")


def test_duplicate_name_exits_non_zero_with_a_message(runner):
    assert create(runner, "liu_yang").exit_code == 0
    result = create(runner, "LIU_YANG")
    assert result.exit_code != 0
    assert "already taken" in result.output


def test_weak_password_exits_non_zero_and_creates_nothing(runner, app):
    result = create(runner, "short_pw", password="123")
    assert result.exit_code != 0
    assert "10 to 256 characters" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_unknown_role_is_refused(runner):
    result = create(runner, "someone", "--role", "superuser")
    assert result.exit_code == 2
    assert "superuser" in result.output
