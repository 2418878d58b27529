from __future__ import annotations

from django.urls import path

from comity.directory.views import browse, exports, proposals

app_name = "directory"

urlpatterns = [
    path("", browse.index, name="index"),
    path("export.csv", exports.export_csv, name="export"),
    path("review/", proposals.review, name="review"),
    path("states/<str:iso3>/", browse.state_detail, name="state"),
    path("authorities/<slug:key>/", browse.authority_detail, name="authority"),
    path("authorities/<slug:key>/vcard", exports.authority_vcard, name="authority_vcard"),
    path("authorities/<slug:key>/propose/", proposals.propose, name="propose"),
    path("authorities/<slug:key>/confirm/", proposals.confirm, name="confirm"),
    path(
        "authorities/<slug:key>/contacts/new/",
        proposals.propose_contact_new,
        name="propose_contact_new",
    ),
    path(
        "authorities/<slug:key>/contacts/<uuid:id>/propose/",
        proposals.propose_contact,
        name="propose_contact",
    ),
    path(
        "authorities/<slug:key>/fiches/<slug:measure>/propose/",
        proposals.propose_fiche,
        name="propose_fiche",
    ),
    path("contacts/<uuid:id>/vcard", exports.contact_vcard, name="contact_vcard"),
    path("changes/<uuid:id>/approve/", proposals.approve, name="approve"),
    path("changes/<uuid:id>/reject/", proposals.reject, name="reject"),
    path("changes/<uuid:id>/withdraw/", proposals.withdraw, name="withdraw"),
]
