from django.urls import path, register_converter

from fhir import views
from fhir.registry import TYPES


class FhirId:
    """FHIR's id: 1 to 64 letters, digits, '-' and '.'."""

    regex = r"[A-Za-z0-9\-\.]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FhirId, "fhirid")

app_name = "fhir"

urlpatterns = [path("metadata", views.Metadata.as_view(), name="metadata")]
for _name in sorted(TYPES):
    urlpatterns.append(path(_name, views.type_view(_name), name=_name.lower()))
    urlpatterns.append(path(f"{_name}/_search", views.search_view(_name), name=f"{_name.lower()}_search"))
    if TYPES[_name].read is not None:
        urlpatterns.append(path(f"{_name}/<fhirid:pk>", views.instance_view(_name), name=f"{_name.lower()}_read"))
    if TYPES[_name].read is not None and TYPES[_name].versioned:
        vread = f"{_name}/<fhirid:pk>/_history/<fhirid:vid>"
        urlpatterns.append(path(vread, views.version_view(_name), name=f"{_name.lower()}_vread"))
