from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IccsCode(models.Model):
    """An offence category of the UNODC International Classification of Crime for
    Statistical Purposes (ICCS v1.0), loaded from the versioned reference file."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    label = models.CharField(_("label"), max_length=255)
    checked = models.BooleanField(_("checked against the source"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ICCS offence code")
        verbose_name_plural = _("ICCS offence codes")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class ReferenceDataset(models.Model):
    """Which version of a reference file was loaded, with its source and as-of date."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    as_of = models.DateField(_("as of"))
    source = models.TextField(_("source"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
