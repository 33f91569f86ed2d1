"""appInstall (done at once: the job is SUCCESS or FAILED on return) and appDelete."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ...context import Info
from ...domain.records import utc_now
from ...errors import PermissionDeniedError, ShopError
from ...ids import to_global_id
from ..enums import JobStatusEnum
from ..errors import AppError, AppErrorCode, error_list
from ..inputs import AppInstallInput
from ..nodes import App


@strawberry.type(name="AppInstallation")
class AppInstallation:
    pk: strawberry.Private[int]
    status: JobStatusEnum
    created_at: datetime
    updated_at: datetime
    message: str | None
    app_name: str
    manifest_url: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("AppInstallation", self.pk))


@strawberry.type(name="AppInstall")
class AppInstall:
    app_installation: AppInstallation | None = None
    errors: list[AppError] = strawberry.field(default_factory=list)


@strawberry.type(name="AppDelete")
class AppDelete:
    app: App | None = None
    errors: list[AppError] = strawberry.field(default_factory=list)


@strawberry.type
class AppMutations:
    @strawberry.mutation
    async def app_delete(self, info: Info, id: strawberry.ID) -> AppDelete | None:
        try:
            app = await info.context.shop.installer.uninstall(info.context.requester, id)
        except ShopError as error:
            return AppDelete(errors=error_list(AppError, AppErrorCode, error))
        return AppDelete(app=App(record=app))

    @strawberry.mutation
    async def app_install(self, info: Info, input: AppInstallInput) -> AppInstall | None:
        requester = info.context.requester
        requester.require_any("MANAGE_APPS")
        if not requester.is_staff:
            raise PermissionDeniedError(("AUTHENTICATED_STAFF_USER",))
        permissions = None if input.permissions is None else [p.value for p in input.permissions]
        shop = info.context.shop
        started = utc_now()
        pk = shop.store.next_pk("app_installation")
        try:
            await shop.installer.install(input.manifest_url, permissions)
        except ShopError as error:
            failed = AppInstallation(
                pk=pk,
                status=JobStatusEnum.FAILED,
                created_at=started,
                updated_at=utc_now(),
                message=error.message,
                app_name=input.app_name,
                manifest_url=input.manifest_url,
            )
            return AppInstall(app_installation=failed, errors=error_list(AppError, AppErrorCode, error))
        done = AppInstallation(
            pk=pk,
            status=JobStatusEnum.SUCCESS,
            created_at=started,
            updated_at=utc_now(),
            message=None,
            app_name=input.app_name,
            manifest_url=input.manifest_url,
        )
        return AppInstall(app_installation=done)
