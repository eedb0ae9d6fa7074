<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>desk</name>
    <message>
      <source>请选择左侧的工单</source>
      <translation>Select a ticket on the left</translation>
    </message>
    <message>
      <source>输入回复内容…（Ctrl+Enter 发送）</source>
      <translation>Type a reply… (Ctrl+Enter to send)</translation>
    </message>
    <message>
      <source>只有客服和专家能看到</source>
      <translation>Only agents and experts can see this</translation>
    </message>
    <message>
      <source>回复</source>
      <translation>Reply</translation>
    </message>
    <message>
      <source>内部备注</source>
      <translation>Internal note</translation>
    </message>
    <message>
      <source>认领</source>
      <translation>Claim</translation>
    </message>
    <message>
      <source>未分配</source>
      <translation>Unassigned</translation>
    </message>
    <message>
      <source>工单已关闭，不能再回复。如问题仍在，请新建工单。</source>
      <translation>This ticket is closed and takes no more replies. If the problem persists, file a new ticket.</translation>
    </message>
    <message>
      <source>请先输入内容</source>
      <translation>Type something first</translation>
    </message>
    <message>
      <source>优先级</source>
      <translation>Priority</translation>
    </message>
    <message>
      <source>分类</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>商户</source>
      <translation>Merchant</translation>
    </message>
    <message>
      <source>处理人</source>
      <translation>Owner</translation>
    </message>
    <message>
      <source>创建</source>
      <translation>Created</translation>
    </message>
    <message>
      <source>确认解决</source>
      <translation>Confirm solved</translation>
    </message>
    <message>
      <source>问题未解决，重新打开</source>
      <translation>Not solved – reopen</translation>
    </message>
    <message>
      <source>程序出错</source>
      <translation>Something went wrong</translation>
    </message>
    <message>
      <source>（日志文件不可用）</source>
      <translation>(no log file available)</translation>
    </message>
    <message>
      <source>发生了一个意外错误。你的数据已保存；请把日志发给技术支持。</source>
      <translation>An unexpected error occurred. Your data is saved; please send the log to support.</translation>
    </message>
    <message>
      <source>提示</source>
      <translation>Notice</translation>
    </message>
    <message>
      <source>日志文件：</source>
      <translation>Log file: </translation>
    </message>
    <message>
      <source>全部状态</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <source>未完成</source>
      <translation>Not done</translation>
    </message>
    <message>
      <source>全部分类</source>
      <translation>All categories</translation>
    </message>
    <message>
      <source>全部优先级</source>
      <translation>All priorities</translation>
    </message>
    <message>
      <source>全部处理人</source>
      <translation>All owners</translation>
    </message>
    <message>
      <source>我的工单</source>
      <translation>My tickets</translation>
    </message>
    <message>
      <source>搜索标题、描述、回复或工单号…</source>
      <translation>Search subject, description, replies or ticket number…</translation>
    </message>
    <message>
      <source>系统</source>
      <translation>System</translation>
    </message>
    <message>
      <source>无法打开工作台</source>
      <translation>Cannot open the desk</translation>
    </message>
    <message>
      <source>没有符合条件的工单</source>
      <translation>No tickets match</translation>
    </message>
    <message>
      <source>在线</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>离线：显示的是最近一次看到的内容</source>
      <translation>Offline: showing what was last seen</translation>
    </message>
    <message>
      <source>正在统计…</source>
      <translation>Counting…</translation>
    </message>
    <message>
      <source>卡盟工单工作台</source>
      <translation>Kamen Support Desk</translation>
    </message>
    <message>
      <source>有内容被服务器拒绝，已保留在待发送队列中，请查看</source>
      <translation>The server refused something; it is kept in the outbox for you to review</translation>
    </message>
    <message>
      <source>新建工单</source>
      <translation>New ticket</translation>
    </message>
    <message>
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>数据</source>
      <translation>Data</translation>
    </message>
    <message>
      <source>搜索</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>队列有新的变化，按 F5 刷新</source>
      <translation>The queue has changed – press F5 to refresh</translation>
    </message>
    <message>
      <source> 条</source>
      <translation> queued items</translation>
    </message>
    <message>
      <source>工单已提交：</source>
      <translation>Ticket filed: </translation>
    </message>
    <message>
      <source>网络已恢复：待发送的内容已提交 </source>
      <translation>Back online: sent </translation>
    </message>
    <message>
      <source>待发送</source>
      <translation>Waiting to send</translation>
    </message>
    <message>
      <source>找到 {n} 张工单（按提交时间从新到旧）</source>
      <translation>{n} tickets found (newest filed first)</translation>
    </message>
    <message>
      <source>共 {n} 张工单</source>
      <translation>{n} tickets</translation>
    </message>
    <message>
      <source>一句话概括问题，如：微信支付 500 元未到账</source>
      <translation>Sum it up in one line, e.g. WeChat payment of 500 yuan not credited</translation>
    </message>
    <message>
      <source>问题分类</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>具体问题</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>标题</source>
      <translation>Subject</translation>
    </message>
    <message>
      <source>问题描述</source>
      <translation>Description</translation>
    </message>
    <message>
      <source>提交</source>
      <translation>Submit</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>描述请写清“五要素”：发生时间、具体现象、影响范围、操作步骤、已尝试的方案。信息完整，处理更快。</source>
      <translation>Please give the five elements: when it happened, what you see, who is affected, the steps, and what you have tried. Complete tickets are solved faster.</translation>
    </message>
    <message>
      <source>请选择商户</source>
      <translation>Choose a merchant</translation>
    </message>
    <message>
      <source>小时内</source>
      <translation>hours</translation>
    </message>
    <message>
      <source>承诺首次响应：</source>
      <translation>First response within </translation>
    </message>
    <message>
      <source>正在打开工作台…</source>
      <translation>Opening the desk…</translation>
    </message>
    <message>
      <source>正在升级数据库，请勿关闭。
较大的数据库需要几十秒；升级前已自动备份。</source>
      <translation>Upgrading the database. Please do not close the app.
A large database takes some tens of seconds; a backup was made first.</translation>
    </message>
    <message>
      <source>登录 · 卡盟工单工作台</source>
      <translation>Sign in · Kamen Support Desk</translation>
    </message>
    <message>
      <source>登录</source>
      <translation>Sign in</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>用户</source>
      <translation>User</translation>
    </message>
    <message>
      <source>所属</source>
      <translation>Belongs to</translation>
    </message>
    <message>
      <source>登录名</source>
      <translation>Login</translation>
    </message>
    <message>
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>选择要登录的用户</source>
      <translation>Choose who signs in</translation>
    </message>
    <message>
      <source>数据库里还没有用户。请先运行 `desk demo` 填充演示数据，或由管理员用 `desk user add` 创建用户。</source>
      <translation>There are no users yet. Run `desk demo` to fill in demo data, or have an admin create users with `desk user add`.</translation>
    </message>
    <message>
      <source>登录到 </source>
      <translation>Sign in to </translation>
    </message>
    <message>
      <source>请输入登录名和密码</source>
      <translation>Enter your login and password</translation>
    </message>
    <message>
      <source>请选择一个用户</source>
      <translation>Choose a user</translation>
    </message>
    <message>
      <source>创建了工单</source>
      <translation>filed the ticket</translation>
    </message>
    <message>
      <source>内部备注 · 商户不可见</source>
      <translation>Internal note · hidden from the merchant</translation>
    </message>
    <message>
      <source>取消了处理人</source>
      <translation>removed the owner</translation>
    </message>
    <message>
      <source>提交人</source>
      <translation>Filed by</translation>
    </message>
    <message>
      <source>处理进度</source>
      <translation>Progress</translation>
    </message>
    <message>
      <source>商户回复</source>
      <translation>Merchant reply</translation>
    </message>
    <message>
      <source>客服回复</source>
      <translation>Agent reply</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>分配给 </source>
      <translation>assigned to </translation>
    </message>
    <message>
      <source>待处理</source>
      <translation>New</translation>
    </message>
    <message>
      <source>处理中</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>待补充</source>
      <translation>Waiting for merchant</translation>
    </message>
    <message>
      <source>已解决</source>
      <translation>Resolved</translation>
    </message>
    <message>
      <source>已关闭</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>紧急</source>
      <translation>Urgent</translation>
    </message>
    <message>
      <source>重要</source>
      <translation>High</translation>
    </message>
    <message>
      <source>普通</source>
      <translation>Normal</translation>
    </message>
    <message>
      <source>低</source>
      <translation>Low</translation>
    </message>
    <message>
      <source>一线客服</source>
      <translation>Agent</translation>
    </message>
    <message>
      <source>二线专家</source>
      <translation>Expert</translation>
    </message>
    <message>
      <source>管理员</source>
      <translation>Admin</translation>
    </message>
    <message>
      <source>创建工单</source>
      <translation>Ticket filed</translation>
    </message>
    <message>
      <source>状态变更</source>
      <translation>Status changed</translation>
    </message>
    <message>
      <source>分配处理人</source>
      <translation>Owner assigned</translation>
    </message>
    <message>
      <source>优先级变更</source>
      <translation>Priority changed</translation>
    </message>
    <message>
      <source>开始处理</source>
      <translation>Start work</translation>
    </message>
    <message>
      <source>请商户补充</source>
      <translation>Ask merchant for info</translation>
    </message>
    <message>
      <source>标记已解决</source>
      <translation>Mark resolved</translation>
    </message>
    <message>
      <source>关闭</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>工单号</source>
      <translation>Ticket</translation>
    </message>
    <message>
      <source>更新时间</source>
      <translation>Updated</translation>
    </message>
    <message>
      <source>发生时间：
具体现象：
影响范围：
操作步骤：
已尝试的方案：</source>
      <translation>When:
What happens:
Who is affected:
Steps:
What I tried:</translation>
    </message>
  </context>
</TS>
