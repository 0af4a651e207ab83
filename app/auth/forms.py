"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.forms import REQUIRED
from app.services.users import MIN_PASSWORD_LENGTH

class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Passord"), validators=[DataRequired(REQUIRED), Length(max=200)])
    submit = SubmitField(_l("Logg inn"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Nytt passord"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Passordet må ha minst %(num)d tegn.", num=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Gjenta nytt passord"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("Passordene er ikke like."))])
    submit = SubmitField(_l("Lagre passord"))


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Nåværende passord"), validators=[DataRequired(REQUIRED), Length(max=200)])


class PasswordLinkForm(FlaskForm):
    """The button on the page a mailed link opens: it posts the link's token."""
    token = HiddenField(validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Velg passord"))


class ForgotPasswordForm(FlaskForm):
    """"Glemt passord?": the address a link to set a new password goes to, if an account has it."""
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(REQUIRED), Length(max=254)])
    submit = SubmitField(_l("Send lenke"))


class ProviderSignInForm(FlaskForm):
    """The "Logg inn med …" button of a provider: a POST, so that only this site's page starts a sign-in."""
    submit = SubmitField(_l("Logg inn"))


class IdentityCodeRequestForm(FlaskForm):
    """A first sign-in with a provider: the address of the account it belongs to, which gets a code."""
    email = EmailField(_l("E-postadressen til kontoen din"), validators=[DataRequired(REQUIRED), Length(max=254)])
    submit = SubmitField(_l("Send kode"))


class IdentityCodeForm(FlaskForm):
    code = StringField(_l("Engangskode"), validators=[DataRequired(REQUIRED), Length(max=20)])
    submit = SubmitField(_l("Bekreft koden"))


class AccessRequestForm(FlaskForm):
    """A first sign-in with a provider by someone without an account: the administrator decides."""
    name = StringField(_l("Fullt navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-postadresse"), validators=[DataRequired(REQUIRED), Length(max=254),
                                                        Email(_l("Skriv en gyldig e-postadresse."))])
    submit = SubmitField(_l("Be om tilgang"))
