"""Signing in: pick a user on an embedded desk, or type login and password for a team server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.client.port import Desk
from desk_app.domain.records import User
from desk_app.domain.roles import Role
from desk_app.ui.i18n import tr
from desk_app.ui.tasks import Tasks
from desk_app.ui.widgets import label, named

LOGIN_ROLE = Qt.ItemDataRole.UserRole + 1


class SignInDialog(QDialog):
    def __init__(self, desk: Desk, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("登录 · 卡盟工单工作台"))
        self.resize(460, 520)
        self._desk, self._tasks = desk, tasks
        self.user: User | None = None
        self._with_password = bool(getattr(desk, "needs_password", False))

        self.heading = label(name="signinHeading", wrap=True)
        self.heading.setStyleSheet("font-size:16px;font-weight:600")
        self.users = named(QTreeWidget(), "userList")
        self.users.setHeaderLabels([tr("用户"), tr("所属")])
        self.users.setRootIsDecorated(True)
        self.users.itemDoubleClicked.connect(lambda *_: self.accept())
        self.login = named(QLineEdit(), "loginEdit")
        self.password = named(QLineEdit(), "passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

        self.error = label(name="signinError", wrap=True)
        self.error.setStyleSheet("color:#cf1322")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if self._with_password:
            self.heading.setText(tr("登录到 ") + desk.location)
            form = QFormLayout()
            form.addRow(tr("登录名"), self.login)
            form.addRow(tr("密码"), self.password)
            layout.addLayout(form)
            layout.addStretch(1)
            self.users.hide()
        else:
            self.heading.setText(tr("选择要登录的用户"))
            layout.addWidget(self.users, 1)
            self._tasks.run(self._desk.sign_in_options, self._show_users, self._show_error)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _show_users(self, users: list[User]) -> None:
        if not users:
            self._show_message(
                tr(
                    "数据库里还没有用户。请先运行 `desk demo` 填充演示数据，或由管理员用 `desk user add` 创建用户。"
                )
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        groups: dict[Role, QTreeWidgetItem] = {}
        for role in Role:
            item = QTreeWidgetItem([tr(role.label), ""])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            groups[role] = item
        taxonomy = self._desk.taxonomy()
        names = {g.code: g.name for g in taxonomy.groups}
        for user in users:
            where = user.org_name or "、".join(names.get(g, g) for g in user.groups)
            child = QTreeWidgetItem([f"{user.name}（{user.login}）", where])
            child.setData(0, LOGIN_ROLE, user.login)
            groups[user.role].addChild(child)
        for role in Role:
            if groups[role].childCount():
                self.users.addTopLevelItem(groups[role])
                groups[role].setExpanded(True)
        self.users.resizeColumnToContents(0)
        first = next(g for g in groups.values() if g.childCount()).child(0)
        if first is not None:
            self.users.setCurrentItem(first)

    def _show_message(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _show_error(self, exc: BaseException) -> None:
        self._show_message(getattr(exc, "message", str(exc)))

    def accept(self) -> None:
        if self._with_password:
            login, password = self.login.text().strip(), self.password.text()
            if not login or not password:
                self._show_message(tr("请输入登录名和密码"))
                return
        else:
            item = self.users.currentItem()
            login = str(item.data(0, LOGIN_ROLE) or "") if item else ""
            password = ""
            if not login:
                self._show_message(tr("请选择一个用户"))
                return
        self.buttons.setEnabled(False)
        self._tasks.run(lambda: self._desk.sign_in(login, password), self._signed_in, self._failed)

    def _signed_in(self, user: User) -> None:
        self.user = user
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self._show_error(exc)
