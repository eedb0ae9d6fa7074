"""Filing a ticket: category, subject, description (with the five elements), priority.

Errors are shown beside the fields they concern, and everything typed stays. One idempotency
key per dialog means a double click or a retry after a timeout files one ticket.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.client.port import Desk
from desk_app.domain.priority import Priority
from desk_app.domain.records import NewTicket, Org, TicketDetail
from desk_app.errors import DeskError, Queued, ValidationError
from desk_app.ui.format import priority_label
from desk_app.ui.i18n import tr
from desk_app.ui.tasks import Tasks
from desk_app.ui.widgets import label, named

TEMPLATE = "发生时间：\n具体现象：\n影响范围：\n操作步骤：\n已尝试的方案："


class NewTicketDialog(QDialog):
    def __init__(self, desk: Desk, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("新建工单"))
        self.resize(560, 560)
        self._desk, self._tasks = desk, tasks
        self._key = str(uuid.uuid4())
        self.created: TicketDetail | None = None
        self._filing = False
        self._taxonomy = desk.taxonomy()
        staff = desk.me().role.is_staff

        self.org = named(QComboBox(), "orgField")
        self.category = named(QComboBox(), "categoryField")
        self.subcategory = named(QComboBox(), "subcategoryField")
        self.priority = named(QComboBox(), "priorityField")
        self.promise = label(name="promiseLabel")
        self.promise.setStyleSheet("color:#8c8c8c")
        self.subject = named(QLineEdit(), "subjectField")
        self.subject.setPlaceholderText(tr("一句话概括问题，如：微信支付 500 元未到账"))
        self.description = named(QPlainTextEdit(), "descriptionField")
        self.description.setPlainText(tr(TEMPLATE))
        self.errors: dict[str, QLabel] = {}
        for c in self._taxonomy.categories:
            self.category.addItem(c.name, c.code)
        self.category.currentIndexChanged.connect(self._fill_subcategories)
        self.subcategory.currentIndexChanged.connect(self._default_priority)
        self.priority.currentIndexChanged.connect(self._show_promise)
        for p in Priority:
            self.priority.addItem(priority_label(p), p.value)

        form = QFormLayout()
        if staff:
            form.addRow(tr("商户"), self._with_error("org_id", self.org))
            self._tasks.run(desk.orgs, self._fill_orgs)
        form.addRow(tr("问题分类"), self._with_error("category", self.category))
        form.addRow(tr("具体问题"), self._with_error("subcategory", self.subcategory))
        form.addRow(tr("优先级"), self.priority)
        form.addRow("", self.promise)
        form.addRow(tr("标题"), self._with_error("subject", self.subject))
        form.addRow(tr("问题描述"), self._with_error("description", self.description))
        self.general_error = label(name="formError", wrap=True)
        self.general_error.setStyleSheet("color:#cf1322")
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("提交"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out(form)
        self._fill_subcategories()

    def _lay_out(self, form: QFormLayout) -> None:
        layout = QVBoxLayout(self)
        hint = QLabel(
            tr(
                "描述请写清“五要素”：发生时间、具体现象、影响范围、操作步骤、已尝试的方案。信息完整，处理更快。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#595959")
        layout.addWidget(hint)
        layout.addLayout(form, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _with_error(self, name: str, field: QWidget) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(field)
        error = label(name=f"error_{name}", wrap=True, style="color:#cf1322")
        error.hide()
        col.addWidget(error)
        self.errors[name] = error
        return box

    def _fill_orgs(self, orgs: list[Org]) -> None:
        self.org.addItem(tr("请选择商户"), None)
        for org in orgs:
            self.org.addItem(org.name, org.id)

    def _fill_subcategories(self) -> None:
        code = self.category.currentData()
        self.subcategory.clear()
        for sub in self._taxonomy.category(code).subcategories:
            self.subcategory.addItem(sub.name, sub.code)

    def _default_priority(self) -> None:
        code, sub_code = self.category.currentData(), self.subcategory.currentData()
        if code and sub_code:
            sub = self._taxonomy.subcategory(code, sub_code)
            self.priority.setCurrentIndex(list(Priority).index(sub.priority))
            self._show_promise()

    def _show_promise(self) -> None:
        value = self.priority.currentData()
        if value:
            p = Priority(value)
            hours = int(p.first_response.total_seconds() // 3600)
            self.promise.setText(tr("承诺首次响应：") + f"{hours} " + tr("小时内"))

    def draft(self) -> NewTicket:
        description = self.description.toPlainText()
        if description.strip() == tr(TEMPLATE).strip():
            description = ""
        return NewTicket(
            subject=self.subject.text(),
            description=description,
            category=self.category.currentData() or "",
            subcategory=self.subcategory.currentData() or "",
            priority=Priority(self.priority.currentData()) if self.priority.currentData() else None,
            org_id=self.org.currentData() if self.org.count() else None,
            idempotency_key=self._key,
        )

    def submit(self) -> None:
        for error in self.errors.values():
            error.hide()
        self.general_error.hide()
        self.buttons.setEnabled(False)  # a second click must not file a second ticket
        self._filing = True
        draft = self.draft()
        self._tasks.run(lambda: self._desk.create_ticket(draft), self._created, self._failed)

    def reject(self) -> None:
        # Esc or the title bar's close while the ticket is being filed: the filing goes on
        # either way, so the dialog stays until it can say how it went.
        if not self._filing:
            super().reject()

    def _created(self, detail: TicketDetail) -> None:
        self._filing = False
        self.created = detail
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._filing = False
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            for name, message in exc.fields.items():
                error = self.errors.get(name)
                if error is None:
                    self._general(message)
                else:
                    error.setText(message)
                    error.show()
        elif isinstance(exc, Queued):
            self._general(exc.message)
            self.accept()
        elif isinstance(exc, DeskError):
            self._general(exc.message)
        else:
            self._tasks.default_error(exc)

    def _general(self, message: str) -> None:
        self.general_error.setText(message)
        self.general_error.show()
