"""Sign-in and password forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms import REQUIRED
from app.services.users import MIN_PASSWORD_LENGTH

class LoginForm(FlaskForm):
    email = EmailField("E-postadresse", validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Passord", validators=[DataRequired(REQUIRED), Length(max=200)])
    submit = SubmitField("Logg inn")


class SetPasswordForm(FlaskForm):
    password = PasswordField("Nytt passord", validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD_LENGTH, max=200, message=f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")])
    confirm = PasswordField("Gjenta nytt passord", validators=[
        DataRequired(REQUIRED), EqualTo("password", message="Passordene er ikke like.")])
    submit = SubmitField("Lagre passord")


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Nåværende passord", validators=[DataRequired(REQUIRED), Length(max=200)])


class PasswordLinkForm(FlaskForm):
    """The button on the page a mailed link opens: it posts the link's token."""
    token = HiddenField(validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Velg passord")
