from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_patterns = [
    path("", include("projects.api.urls")),
    path("", include("ingest.api.urls")),
    path("", include("annotation.api.urls")),
    path("", include("models_zoo.api.urls")),
    path("", include("releases.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="frontend/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("health/", include("affectlab.health")),
    path("", include("frontend.urls")),
]

handler404 = "affectlab.api_errors.not_found_handler"
handler500 = "affectlab.api_errors.server_error_handler"
