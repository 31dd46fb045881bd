"""Forms of polls: the ballot built from the poll's questions (one field per question, so that each question shows
its own error and nothing chosen is lost when the form comes back), and the officers' forms to set a poll up."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiclink.participation import polls
from civiclink.participation.models import Choice, Poll, Question
from civiclink.participation.models.polls import TEXT_ANSWER_MAX

MAX_CHOICES_PER_QUESTION = 50
CHOICE_TEXT_MAX = Choice._meta.get_field("text").max_length


class RankingWidget(forms.Widget):
    """A number input per choice, named `<field>-<choice id>`, so that ranking needs no JavaScript. The template
    draws the inputs (see `BallotForm.questions`); the widget only reads them back."""

    def __init__(self, choice_ids: list[int]):
        super().__init__()
        self.choice_ids = choice_ids

    def value_from_datadict(self, data, files, name):
        return {pk: data.get(f"{name}-{pk}", "") for pk in self.choice_ids}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{pk}" in data for pk in self.choice_ids)


class RankingField(forms.Field):
    """{choice id: rank} of the ranks typed in; empty inputs are choices left unranked."""

    default_error_messages = {"invalid": _("Please type whole numbers as ranks: 1 for your first choice, and so on.")}

    def __init__(self, choice_ids: list[int], **kwargs):
        super().__init__(widget=RankingWidget(choice_ids), required=False, **kwargs)

    def to_python(self, value):
        ranks = {}
        for pk, raw in (value or {}).items():
            raw = str(raw).strip()
            if not raw:
                continue
            if not raw.isdigit() or len(raw) > 3:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ranks[pk] = int(raw)
        return ranks


def field_name(question: Question) -> str:
    return f"q-{question.pk}"


def _answer_field(question: Question) -> forms.Field:
    choices = [(choice.pk, choice.localised("text")) for choice in question.choices.all()]
    if question.kind == Question.Kind.SINGLE:
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
        )
    if question.kind == Question.Kind.RANKING:
        return RankingField([pk for pk, _text in choices])
    return forms.CharField(
        required=False, max_length=TEXT_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )


class BallotForm(forms.Form):
    """The questions of a poll; with a code field where the poll asks for printed codes. `answers()` gives what
    `polls.vote` takes, and the checks are `polls.check_answers`, the same as for benches and paper."""

    def __init__(self, questions: list[Question], *args, ask_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll_questions = questions
        if ask_code:
            self.fields["code"] = forms.CharField(
                label=_("Code from your ballot paper"),
                help_text=_("The eight letters and digits printed on the paper, for example ABCD-EFGH."),
                max_length=20,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
                ),
            )
        for number, question in enumerate(questions, start=1):
            answer = self.fields[field_name(question)] = _answer_field(question)
            answer.label = _("Question %(number)d") % {"number": number}  # for the error summary

    @property
    def questions(self) -> list[dict]:
        """What the template draws for each question, in order; ranking questions with an input per choice."""
        drawn = []
        for number, question in enumerate(self.poll_questions, start=1):
            bound = self[field_name(question)]
            item = {"number": number, "question": question, "field": bound}
            if question.kind == Question.Kind.RANKING:
                typed = bound.value() or {}
                item["ranks"] = [
                    {
                        "choice": choice,
                        "name": f"{bound.html_name}-{choice.pk}",
                        "id": f"{bound.auto_id}-{choice.pk}",
                        "value": typed.get(choice.pk, ""),
                    }
                    for choice in question.choices.all()
                ]
                item["most"] = min(question.max_choices or len(item["ranks"]), len(item["ranks"]))
            drawn.append(item)
        return drawn

    def answers(self) -> dict:
        """{question id: answer} of the questions whose input could be read."""
        return {
            question.pk: self.cleaned_data.get(field_name(question))
            for question in self.poll_questions
            if field_name(question) not in self.errors
        }

    def clean(self):
        cleaned = super().clean()
        _answers, problems = polls.check_answers(self.poll_questions, self.answers())
        self.add_problems(problems)
        return cleaned

    def add_problems(self, problems: dict) -> None:
        """Show `polls` problems at their questions (a question with an error already keeps that one)."""
        by_id = {question.pk: field_name(question) for question in self.poll_questions}
        for question_id, message in problems.items():
            name = by_id.get(question_id)
            if name is None:
                self.add_error(None, message)
            elif name not in self.errors:
                self.add_error(name, message)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PollForm(forms.ModelForm):
    class Meta:
        model = Poll
        fields = [
            "title",
            "description",
            "language",
            "opens_at",
            "closes_at",
            "show_results",
            "codes_required",
            "on_benches",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "show_results": forms.RadioSelect,
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The poll must close after it opens."))
        return cleaned


class QuestionForm(forms.ModelForm):
    """A question with its choices typed one per line; a change of wording keeps the choice (and its votes)."""

    choices_text = forms.CharField(
        label=_("Choices"),
        help_text=_("One choice per line, in the order to show them. Free-text questions have none."),
        required=False,
        max_length=MAX_CHOICES_PER_QUESTION * (CHOICE_TEXT_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required", "max_choices", "position"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = "\n".join(choice.text for choice in self.instance.choices.all())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lines = [line.strip() for line in cleaned.get("choices_text", "").splitlines() if line.strip()]
        cleaned["choices"] = lines
        if kind == Question.Kind.TEXT:
            if lines:
                self.add_error("choices_text", _("Free-text questions have no choices: please leave the list empty."))
            cleaned["max_choices"] = None
            return cleaned
        if len(lines) < 2:
            self.add_error("choices_text", _("Please give at least two choices, one per line."))
        elif len(lines) > MAX_CHOICES_PER_QUESTION:
            self.add_error(
                "choices_text", _("Please give at most %(most)d choices.") % {"most": MAX_CHOICES_PER_QUESTION}
            )
        elif too_long := [line for line in lines if len(line) > CHOICE_TEXT_MAX]:
            self.add_error(
                "choices_text",
                _("Each choice can have at most %(most)d characters; this one is longer: “%(choice)s”.")
                % {"most": CHOICE_TEXT_MAX, "choice": too_long[0][:40] + "…"},
            )
        elif len({line.casefold() for line in lines}) != len(lines):
            self.add_error("choices_text", _("Each choice must be different from the others."))
        most = cleaned.get("max_choices")
        if kind == Question.Kind.SINGLE:
            cleaned["max_choices"] = None
        elif most and len(lines) >= 2 and most > len(lines):
            self.add_error(
                "max_choices",
                _("There are only %(count)d choices, so the limit cannot be higher.") % {"count": len(lines)},
            )
        return cleaned

    def save_choices(self, question: Question) -> None:
        """Make the question's choices the lines typed: reworded in place, added or removed at the end."""
        lines = self.cleaned_data["choices"]
        existing = list(question.choices.all())
        for position, (choice, text) in enumerate(zip(existing, lines, strict=False)):
            if (choice.text, choice.position) != (text, position):
                choice.text, choice.position = text, position
                choice.save(update_fields=["text", "position"])
        Choice.objects.bulk_create(
            Choice(question=question, text=text, position=position, language=question.language)
            for position, text in enumerate(lines[len(existing) :], start=len(existing))
        )
        Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(lines) :]]).delete()


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes?"),
        min_value=1,
        max_value=polls.MAX_CODES_PER_BATCH,
        help_text=_("One code per ballot paper; each code allows one vote."),
    )
