<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>mpscope</name>
    <message>
        <location filename="../../gui/banner.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/console_panel.py"/>
        <source>… {n} more lines not shown here (all are in the event log)</source>
        <translation>… 另有 {n} 行未在此显示（全部都在事件日志中）</translation>
    </message>
    <message>
        <location filename="../../gui/event_log.py"/>
        <source>time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <location filename="../../gui/event_log.py"/>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <location filename="../../gui/event_log.py"/>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../gui/event_log.py"/>
        <source>detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../gui/event_log.py"/>
        <source>line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../gui/explanation.py"/>
        <source>What to notice: {explanation}</source>
        <translation>注意观察：{explanation}</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Export picture</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>PNG image</source>
        <translation>PNG 图片</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>SVG (vector, for scaling)</source>
        <translation>SVG（矢量图，可任意缩放）</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Whole run</source>
        <translation>整个运行过程</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Visible range</source>
        <translation>当前可见范围</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it cannot be read ({why})</source>
        <translation>无法读取（{why}）</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>there is not enough memory to open it</source>
        <translation>内存不足，无法打开</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>the file is too large ({mb:.0f} MB)</source>
        <translation>文件太大（{mb:.0f} MB）</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it is not a recording: nested too deeply</source>
        <translation>不是录制文件：嵌套层数太深</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it is not a recording: not JSON, or cut short (line {line})</source>
        <translation>不是录制文件：不是 JSON，或者文件不完整（第 {line} 行）</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it is not a recording: not a text file</source>
        <translation>不是录制文件：不是文本文件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it was saved by a newer mpscope (format version {version}); this one reads up to version {known}: update mpscope to open it</source>
        <translation>它由更新版本的 mpscope 保存（格式版本 {version}），本程序只能读取到版本 {known}：请更新 mpscope 后再打开</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it holds no events</source>
        <translation>文件中没有事件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>it is not an mpscope recording</source>
        <translation>不是 mpscope 录制文件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Open recording…</source>
        <translation>打开录制文件…</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Save recording…</source>
        <translation>保存录制文件…</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Export trace JSON (Perfetto)…</source>
        <translation>导出 trace JSON（Perfetto）…</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Export picture…</source>
        <translation>导出图片…</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Copy picture</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Save recording</source>
        <translation>保存录制文件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>mpscope recordings (*.mpscope.json)</source>
        <translation>mpscope 录制文件 (*.mpscope.json)</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Cannot open {name}: {why}.</source>
        <translation>无法打开 {name}：{why}。</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Export trace JSON</source>
        <translation>导出 trace JSON</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Chrome trace / Perfetto (*.json)</source>
        <translation>Chrome 跟踪文件 / Perfetto (*.json)</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Pictures (*{suffix})</source>
        <translation>图片 (*{suffix})</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Picture copied to the clipboard ({w} × {h} px).</source>
        <translation>图片已复制到剪贴板（{w} × {h} 像素）。</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Wrote {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Could not write {path}: {why}</source>
        <translation>无法写入 {path}：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>Open recording</source>
        <translation>打开录制文件</translation>
    </message>
    <message>
        <location filename="../../gui/file_actions.py"/>
        <source>mpscope recordings (*.mpscope.json);;All files (*)</source>
        <translation>mpscope 录制文件 (*.mpscope.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/legend.py"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../gui/legend.py"/>
        <source>pool task</source>
        <translation>进程池任务</translation>
    </message>
    <message>
        <location filename="../../gui/legend.py"/>
        <source>failed task</source>
        <translation>失败的任务</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Open script…</source>
        <translation>打开脚本…</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Rerun</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>What to notice (explanation above the timeline)</source>
        <translation>要点说明（显示在时间线上方）</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Follow the run</source>
        <translation>跟随运行</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Zoom to fit</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Scenario</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Bad parameter</source>
        <translation>参数有误</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>{name} changed on disk.</source>
        <translation>{name} 已在磁盘上修改。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>The run could not start: {reason}</source>
        <translation>无法开始运行：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>{n} processes, {e} events</source>
        <translation>{n} 个进程，{e} 个事件</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>{n:,} more counted, not kept</source>
        <translation>另有 {n:,} 个只计数、未保存</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Recording {name}: {counts}</source>
        <translation>录制文件 {name}：{counts}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Running… {counts}</source>
        <translation>运行中… {counts}</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Finished.</source>
        <translation>已结束。</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py"/>
        <source>Exit code {code}.</source>
        <translation>退出码 {code}。</translation>
    </message>
    <message>
        <location filename="../../gui/picture_export.py"/>
        <source>{title} · start method: {method} · {date}</source>
        <translation>{title} · 启动方式：{method} · {date}</translation>
    </message>
    <message>
        <location filename="../../gui/picture_export.py"/>
        <source> · time scale ×{scale}</source>
        <translation> · 时间倍率 ×{scale}</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Replay:</source>
        <translation>回放：</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Replay the recording as it grew live</source>
        <translation>按运行时的样子重新播放，时间线逐步展开</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Drag to move through the recording</source>
        <translation>拖动可跳到录制中的任意时刻</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>Replay speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <location filename="../../gui/replay.py"/>
        <source>{now:.2f} / {total:.2f} s</source>
        <translation>{now:.2f} / {total:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>{name}: “{value}” is not a number</source>
        <translation>{name}：“{value}” 不是数字</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>{name}: “{value}” is not true or false</source>
        <translation>{name}：“{value}” 不是 true 或 false</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>{name}: {value} is outside {low} … {high}</source>
        <translation>{name}：{value} 超出范围 {low} … {high}</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>unknown parameter {name}</source>
        <translation>未知参数 {name}</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>Scenarios</source>
        <translation>示例列表</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>Start method</source>
        <translation>启动方式</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>Time scale</source>
        <translation>时间倍率</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>Multiplies every sleep and timeout of the program: below 1 faster, above 1 slow motion</source>
        <translation>程序中每个 sleep 和超时时间都乘以此倍数：小于 1 加快，大于 1 慢动作</translation>
    </message>
    <message>
        <location filename="../../gui/scenario_panel.py"/>
        <source>How multiprocessing starts the child processes</source>
        <translation>multiprocessing 创建子进程的方式</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>There is no file {path}.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>{name} is not a Python script (.py).</source>
        <translation>{name} 不是 Python 脚本（.py）。</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Python cannot read {name} as text: {why}</source>
        <translation>Python 无法把 {name} 读成文本：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Cannot read {name}: {why}</source>
        <translation>无法读取 {name}：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Syntax error in the script, line {line}: {msg}</source>
        <translation>脚本第 {line} 行有语法错误：{msg}</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Line {line} starts a process while a child process is importing the script. Under spawn and forkserver every child imports the main script again, so code that starts processes must be inside  if __name__ == "__main__":</source>
        <translation>第 {line} 行在子进程导入脚本时又启动了进程。使用 spawn 和 forkserver 时，每个子进程都会重新导入主脚本，所以创建进程的代码必须写在  if __name__ == "__main__":  之下</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>The script could not be read: {msg}</source>
        <translation>无法读取脚本：{msg}</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Open script</source>
        <translation>打开脚本</translation>
    </message>
    <message>
        <location filename="../../gui/script_runs.py"/>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>idle (pool worker waiting for a task)</source>
        <translation>空闲（进程池中的进程在等待任务）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>running</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>sleeping</source>
        <translation>睡眠</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>blocked</source>
        <translation>阻塞</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>zombie (exited, not joined)</source>
        <translation>僵尸（已退出，未回收）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>not recorded (detail limit reached)</source>
        <translation>未记录（已达细节上限）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{kind}: {n:,}</source>
        <translation>{kind}：{n:,}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>Detail limit reached: {n:,} more events were counted, not kept ({parts}), so memory stays bounded. Hatched bars: states not recorded. Start, exit and join of every process are still shown.</source>
        <translation>已达细节上限：之后的 {n:,} 个事件只计数、未保存（{parts}），以免内存无限增长。斜线条纹表示未记录的状态。每个进程的启动、退出和 join 仍然全部显示。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>At least {n:,} events could not be read.</source>
        <translation>至少有 {n:,} 个事件无法读取。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>1 event could not be read.</source>
        <translation>有 1 个事件无法读取。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{n:,} events could not be read.</source>
        <translation>有 {n:,} 个事件无法读取。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>The event channel was corrupted: later events were not recorded.</source>
        <translation>事件通道已损坏：之后的事件没有记录下来。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>started</source>
        <translation>已启动</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>exit status</source>
        <translation>退出状态</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>exited</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>joined</source>
        <translation>已回收</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>terminated</source>
        <translation>被终止</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>task submitted</source>
        <translation>提交任务</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>message sent</source>
        <translation>发出消息</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>message received</source>
        <translation>收到消息</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>failed: Full, Empty, not picklable</source>
        <translation>失败：队列满、队列空、无法序列化</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>never received</source>
        <translation>未被接收</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>result collected</source>
        <translation>取回结果</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>unreadable event</source>
        <translation>无法读取的事件</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>event channel lost</source>
        <translation>事件通道已断开</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>Process {pid} closed mpscope's event channel with {how}(), as a daemon closing the descriptors it inherited does. It carries on as before, but nothing it does from then on is recorded.</source>
        <translation>进程 {pid} 用 {how}() 关闭了 mpscope 的事件通道（就像守护进程关闭它继承来的所有文件描述符那样）。它照常运行，但从那以后它做的事都不再被记录。</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>Line {line}: {text}</source>
        <translation>第 {line} 行：{text}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>exit code unknown</source>
        <translation>退出码未知</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>exit code {code}</source>
        <translation>退出码 {code}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>killed by {signal} (exit code {code})</source>
        <translation>被 {signal} 终止（退出码 {code}）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{s:.3f} s</source>
        <translation>{s:.3f} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{name}
pid {pid} · ppid {ppid}</source>
        <translation>{name}
pid {pid} · ppid {ppid}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>fork server</source>
        <translation>fork 服务器</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>resource tracker</source>
        <translation>资源跟踪器</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>put() — queue full</source>
        <translation>put() — 队列已满</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>join → {target}</source>
        <translation>join → {target}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>waits for result</source>
        <translation>等待结果</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source> (line {line})</source>
        <translation>（第 {line} 行）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>time.sleep({secs}){where}</source>
        <translation>time.sleep({secs}){where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call} on {ch}{where}</source>
        <translation>阻塞在 {ch} 的 {call} 中{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>waiting for a task from the pool's queue</source>
        <translation>等待进程池队列中的任务</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>waiting for the result of job {job}{where}</source>
        <translation>等待任务 {job} 的结果{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in pool.join(), waiting for the workers to end{where}</source>
        <translation>在 pool.join() 中阻塞，等待回收进程池中的进程{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call}(), waiting for futures to finish{where}</source>
        <translation>阻塞在 {call}() 中，等待 future 完成{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call}(), waiting for pid {pid}{where}</source>
        <translation>阻塞在 {call}() 中，等待 pid {pid}{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call}(), waiting for a child process to end{where}</source>
        <translation>阻塞在 {call}() 中，等待某个子进程结束{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call}(){where}</source>
        <translation>阻塞在 {call}() 中{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in {call}(), waiting for the manager's process{where}</source>
        <translation>阻塞在 {call}() 中，等待管理器进程应答{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>in join() waiting for {target} (pid {pid}){where}</source>
        <translation>在 join() 中阻塞，等待回收 {target}（pid {pid}）{where}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>join timeout {t} s</source>
        <translation>join 超时时间 {t} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>timeout {t} s</source>
        <translation>超时时间 {t} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>join() gave up: timeout, the child still runs</source>
        <translation>join() 超时返回，子进程仍在运行</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{call}() gave up: timeout</source>
        <translation>{call}() 超时返回</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{call}(): the barrier was broken</source>
        <translation>{call}()：屏障已被破坏</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{signal} sent by {by}</source>
        <translation>{by} 发送了 {signal}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>a {kind} event whose values were not plain data</source>
        <translation>一个“{kind}”事件，其中的值不是普通数据</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>ended by Stop</source>
        <translation>被“停止”结束</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>not signalled by Stop: the system did not show it as a process of this run (it had already ended, or it never was one)</source>
        <translation>“停止”未向它发信号：系统没有显示它是本次运行的进程（它已经结束，或者从来不是）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>the run ended; this process's end was not seen</source>
        <translation>运行已结束；未观察到该进程的结束</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{how}: {fn}, {n} call(s), chunksize {c}</source>
        <translation>{how}：{fn}，{n} 次调用，chunksize {c}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>starts {call}</source>
        <translation>开始执行 {call}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>returns {result}</source>
        <translation>返回 {result}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>raises {result}</source>
        <translation>抛出 {result}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>result collected (job {job})</source>
        <translation>取回结果（任务 {job}）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>get() re-raises {result}</source>
        <translation>get() 重新抛出 {result}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{kind} made on line {line}</source>
        <translation>第 {line} 行创建的 {kind}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>unbounded</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>max {n}</source>
        <translation>最多 {n}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{label}
depth ({bound})</source>
        <translation>{label}
消息数（{bound}）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>{name}: {how}() on {channel} raised {error}</source>
        <translation>{name}：{channel} 的 {how}() 抛出 {error}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>payload: {p}</source>
        <translation>内容：{p}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>sent by {who} at {t:.3f} s</source>
        <translation>{who} 在 {t:.3f} 秒发送</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>received by {who} at {t:.3f} s</source>
        <translation>{who} 在 {t:.3f} 秒接收</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>not received (yet)</source>
        <translation>（尚）未被接收</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>ran on {worker}</source>
        <translation>在 {worker} 上运行</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>started {a:.3f} s; its worker ended at {b:.3f} s: {how}</source>
        <translation>开始于 {a:.3f} 秒；其工作进程在 {b:.3f} 秒结束：{how}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>started {a:.3f} s, still running</source>
        <translation>{a:.3f} 秒开始，仍在运行</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>started {a:.3f} s, ended {b:.3f} s ({d:.3f} s)</source>
        <translation>{a:.3f} 秒开始，{b:.3f} 秒结束（用时 {d:.3f} 秒）</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>waited in the pool's queue {s:.3f} s</source>
        <translation>在进程池等待队列中等了 {s:.3f} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>raised {result}</source>
        <translation>抛出了 {result}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>returned {result}</source>
        <translation>返回了 {result}</translation>
    </message>
    <message>
        <location filename="../../gui/texts.py"/>
        <source>printed:</source>
        <translation>打印：</translation>
    </message>
    <message>
        <location filename="../../gui/timeline_view.py"/>
        <source>time since start (s)</source>
        <translation>从开始算起的时间（秒）</translation>
    </message>
    <message>
        <location filename="../../gui/view_actions.py"/>
        <source>Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <location filename="../../gui/view_actions.py"/>
        <source>Helper processes (fork server, resource tracker)</source>
        <translation>辅助进程（fork 服务器、资源跟踪器）</translation>
    </message>
    <message>
        <location filename="../../gui/view_actions.py"/>
        <source>Reset settings…</source>
        <translation>恢复默认设置…</translation>
    </message>
    <message>
        <location filename="../../gui/view_actions.py"/>
        <source>Forget the remembered scenario, parameters, language and theme?</source>
        <translation>清除记住的示例、参数、语言和主题吗？</translation>
    </message>
    <message>
        <location filename="../../gui/view_actions.py"/>
        <source>Reset settings</source>
        <translation>恢复默认设置</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/args_and_kwargs.py"/>
        <source>Passing arguments: args and kwargs, and join(timeout)</source>
        <extracomment>title of scenario args-and-kwargs</extracomment>
        <translation>传参：args 和 kwargs，以及 join(timeout)</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/args_and_kwargs.py"/>
        <source>One child gets its arguments as a tuple (args), the other as a dict (kwargs). join(JOIN_TIMEOUT) stops waiting while the child is still working; the plain join() calls at the end reap both.</source>
        <extracomment>explanation of scenario args-and-kwargs</extracomment>
        <translation>一个子进程用元组（args）按位置传参，另一个用字典（kwargs）按键值对传参。join(JOIN_TIMEOUT) 超时后父进程就不再阻塞等待，而子进程仍在工作；最后不带参数的 join() 才把两个子进程都回收。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/args_and_kwargs.py"/>
        <source>seconds the worker sleeps in each loop</source>
        <extracomment>parameter SEC of scenario args-and-kwargs</extracomment>
        <translation>子进程每次循环 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/args_and_kwargs.py"/>
        <source>how many times each worker loops</source>
        <extracomment>parameter LOOPS of scenario args-and-kwargs</extracomment>
        <translation>每个子进程循环的次数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/args_and_kwargs.py"/>
        <source>seconds the parent waits in join(timeout) before moving on</source>
        <extracomment>parameter JOIN_TIMEOUT of scenario args-and-kwargs</extracomment>
        <translation>父进程在 join(timeout) 中最多等待的秒数，之后继续往下执行</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/crashes.py"/>
        <source>Crashes: every way a child process can end, side by side</source>
        <extracomment>title of scenario crashes</extracomment>
        <translation>崩溃：子进程结束的各种方式，并排对比</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/crashes.py"/>
        <source>Seven children end seven ways: a normal return (exit code 0), an exception (exit code 1 and a traceback), sys.exit(3), os._exit(4) (no clean-up at all), killed by the parent with SIGTERM (-15) and SIGKILL (-9), and a segmentation fault (-11, with faulthandler's report).</source>
        <extracomment>explanation of scenario crashes</extracomment>
        <translation>七个子进程以七种方式结束：正常返回（退出码 0）、抛出异常（退出码 1，附 traceback）、sys.exit(3)、os._exit(4)（完全不做清理）、被父进程用 SIGTERM（-15）和 SIGKILL（-9）杀死，以及段错误（-11，附 faulthandler 的报告）。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/crashes.py"/>
        <source>seconds each child works before it ends its own way</source>
        <extracomment>parameter WORK_SECONDS of scenario crashes</extracomment>
        <translation>每个子进程以自己的方式结束之前工作的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/crashes.py"/>
        <source>seconds after the start when the parent kills two of the children</source>
        <extracomment>parameter KILL_AFTER of scenario crashes</extracomment>
        <translation>启动后过多少秒，父进程杀死其中两个子进程</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/custom_process_class.py"/>
        <source>Custom process class: subclass Process and override run()</source>
        <extracomment>title of scenario custom-process-class</extracomment>
        <translation>自定义进程类：继承 Process 并重写 run()</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/custom_process_class.py"/>
        <source>ClockProcess stores its own attribute (value) in __init__, which must also call super().__init__(). start() runs the overridden run() in the new process; join() reaps it.</source>
        <extracomment>explanation of scenario custom-process-class</extracomment>
        <translation>ClockProcess 在 __init__ 中添加自己的属性（value），同时必须用 super().__init__() 加载父类的 init。start() 会在新进程中自动执行重写的 run()；join() 回收该进程。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/custom_process_class.py"/>
        <source>seconds the clock sleeps after each print</source>
        <extracomment>parameter VALUE of scenario custom-process-class</extracomment>
        <translation>时钟进程每次打印后 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/custom_process_class.py"/>
        <source>how many times the clock prints the time</source>
        <extracomment>parameter TICKS of scenario custom-process-class</extracomment>
        <translation>时钟进程打印时间的次数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_children_to_parent.py"/>
        <source>Pipe: children send, the parent receives</source>
        <extracomment>title of scenario pipe-children-to-parent</extracomment>
        <translation>管道：子进程放消息，父进程取消息</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_children_to_parent.py"/>
        <source>CHILDREN children write their numbers into one pipe and the parent's recv() blocks until each message arrives. A duplex pipe (DUPLEX) can be read and written at both ends; a one-way pipe's fd1 can only receive and fd2 only send, and using the wrong end raises OSError.</source>
        <extracomment>explanation of scenario pipe-children-to-parent</extracomment>
        <translation>CHILDREN 个子进程把各自的编号写入同一个管道，每条消息到达之前，父进程都阻塞在 recv() 中。双向管道（DUPLEX）两端都可读写；单向管道 fd1 只读、fd2 只写，用错一端会抛出 OSError。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_children_to_parent.py"/>
        <source>two-way pipe: both ends send and receive (off: fd1 only receives, fd2 only sends)</source>
        <extracomment>parameter DUPLEX of scenario pipe-children-to-parent</extracomment>
        <translation>双向管道：两端都可收发（关闭则为单向管道：fd1 只读，fd2 只写）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_children_to_parent.py"/>
        <source>how many children send into the pipe</source>
        <extracomment>parameter CHILDREN of scenario pipe-children-to-parent</extracomment>
        <translation>向管道发送消息的子进程个数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_children_to_parent.py"/>
        <source>seconds each child sleeps before it sends its number</source>
        <extracomment>parameter SEND_SECONDS of scenario pipe-children-to-parent</extracomment>
        <translation>每个子进程发送编号前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_ping_pong.py"/>
        <source>Pipe ping-pong: two processes talking both ways</source>
        <extracomment>title of scenario pipe-ping-pong</extracomment>
        <translation>管道乒乓：两个进程双向通信</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_ping_pong.py"/>
        <source>One duplex Pipe joins the parent and a child: the parent sends ping, the child's recv() returns it and the child answers pong, ROUNDS times. Each side is blocked in recv() while the other one thinks for THINK_SECONDS.</source>
        <extracomment>explanation of scenario pipe-ping-pong</extracomment>
        <translation>一个双向管道连接父进程和子进程：父进程发送 ping，子进程的 recv() 取到后回复 pong，共 ROUNDS 轮。一方思考 THINK_SECONDS 秒的时候，另一方阻塞在 recv() 中。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_ping_pong.py"/>
        <source>how many ping / pong rounds</source>
        <extracomment>parameter ROUNDS of scenario pipe-ping-pong</extracomment>
        <translation>ping / pong 的轮数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pipe_ping_pong.py"/>
        <source>seconds each side thinks before it sends</source>
        <extracomment>parameter THINK_SECONDS of scenario pipe-ping-pong</extracomment>
        <translation>每一方发送前思考的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_async.py"/>
        <source>Pool with apply_async: tasks run side by side on the pool's workers</source>
        <extracomment>title of scenario pool-apply-async</extracomment>
        <translation>进程池 apply_async：任务在池中的进程上并行执行</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_async.py"/>
        <source>apply_async() only puts each task into the pool's queue and returns at once; the POOL_SIZE workers take the tasks one after another and are reused, not created per task (make POOL_SIZE smaller than TASKS to see one worker run several). close() refuses new tasks, join() waits for the workers, and r.get() gives each task's return value.</source>
        <extracomment>explanation of scenario pool-apply-async</extracomment>
        <translation>apply_async() 只是把任务放入进程池的等待队列，立即返回；POOL_SIZE 个进程依次取任务执行，进程被复用，而不是每个任务新建一个（把 POOL_SIZE 设得比 TASKS 小，就能看到一个进程执行多个任务）。close() 关闭进程池、不能再添加新任务，join() 阻塞等待回收池中的进程，r.get() 取得每个任务函数的返回值。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_async.py"/>
        <source>how many worker processes the pool has</source>
        <extracomment>parameter POOL_SIZE of scenario pool-apply-async</extracomment>
        <translation>进程池中的进程数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_async.py"/>
        <source>how many tasks are put into the pool</source>
        <extracomment>parameter TASKS of scenario pool-apply-async</extracomment>
        <translation>放入进程池的任务数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_async.py"/>
        <source>seconds each task sleeps before printing its message</source>
        <extracomment>parameter TASK_SECONDS of scenario pool-apply-async</extracomment>
        <translation>每个任务打印消息前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_sync.py"/>
        <source>Pool with apply: one task at a time</source>
        <extracomment>title of scenario pool-apply-sync</extracomment>
        <translation>进程池 apply：一次只执行一个任务</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_sync.py"/>
        <source>pool.apply() waits for each task to finish before the next one is handed out, so the TASKS tasks run one after another and the whole run takes about TASKS × TASK_SECONDS, however many workers the pool has: the synchronous way is the less efficient one. Compare with pool-apply-async.</source>
        <extracomment>explanation of scenario pool-apply-sync</extracomment>
        <translation>pool.apply() 要等一个任务执行完才交出下一个，所以 TASKS 个任务一个接一个地执行，总耗时约为 TASKS × TASK_SECONDS，与进程池中有多少进程无关：同步执行方式效率较低。可与 pool-apply-async 示例对比。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_apply_sync.py"/>
        <source>how many tasks are run in the pool</source>
        <extracomment>parameter TASKS of scenario pool-apply-sync</extracomment>
        <translation>在进程池中执行的任务数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>Pool map, imap, imap_unordered and starmap</source>
        <extracomment>title of scenario pool-map</extracomment>
        <translation>进程池 map、imap、imap_unordered 和 starmap</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>map() and starmap() give back the whole list only when every task is done; imap() yields results one by one in item order, imap_unordered() as soon as each one is ready. Chunks of items go to a worker together (CHUNKSIZE); a task that raises (FAIL_AT) has its exception re-raised in the parent.</source>
        <extracomment>explanation of scenario pool-map</extracomment>
        <translation>map() 和 starmap() 要等所有任务都完成，才返回整个结果列表；imap() 按元素顺序逐个给出结果，imap_unordered() 则哪个先完成就先给出哪个。若干元素组成一块（CHUNKSIZE），一起交给同一个进程；任务中抛出的异常（FAIL_AT）会在父进程中重新抛出。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>how many items are mapped (1, 2, ... ITEMS)</source>
        <extracomment>parameter ITEMS of scenario pool-map</extracomment>
        <translation>map 的元素个数（1, 2, ... ITEMS）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>seconds each task sleeps before returning n*n</source>
        <extracomment>parameter TASK_SECONDS of scenario pool-map</extracomment>
        <translation>每个任务返回 n*n 前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>0 map, 1 imap, 2 imap_unordered, 3 starmap</source>
        <extracomment>parameter MODE of scenario pool-map</extracomment>
        <translation>0 map，1 imap，2 imap_unordered，3 starmap</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>chunksize (0 = let Python choose)</source>
        <extracomment>parameter CHUNKSIZE of scenario pool-map</extracomment>
        <translation>块大小 chunksize（0 = 由 Python 决定）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_map.py"/>
        <source>the item (1 to ITEMS) whose task raises ValueError (0 = none)</source>
        <extracomment>parameter FAIL_AT of scenario pool-map</extracomment>
        <translation>哪个元素（1 到 ITEMS）的任务抛出 ValueError（0 = 都不抛出）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_vs_processes.py"/>
        <source>Pool vs one process per task: why pools exist</source>
        <extracomment>title of scenario pool-vs-processes</extracomment>
        <translation>进程池与每个任务一个进程：为什么要有进程池</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_vs_processes.py"/>
        <source>The same TASKS short tasks run twice: first with a new Process for every task, then on one Pool of POOL_SIZE reused workers. Creating and reaping a process costs far more than a short task, most of all under spawn; only under fork, with longer tasks that just sleep side by side, can starting them all at once keep up with the pool, which runs only POOL_SIZE at a time.</source>
        <extracomment>explanation of scenario pool-vs-processes</extracomment>
        <translation>同样的 TASKS 个短任务执行两遍：第一遍每个任务新建一个 Process，第二遍交给有 POOL_SIZE 个可复用进程的进程池。进程的创建和回收消耗的资源远多于一个短任务，spawn 下尤其如此；只有在 fork 下、任务较长且只是并排 sleep 时，一次全部启动才能跟上每次只运行 POOL_SIZE 个任务的进程池。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_vs_processes.py"/>
        <source>how many short tasks are run each way</source>
        <extracomment>parameter TASKS of scenario pool-vs-processes</extracomment>
        <translation>每种方式执行的短任务个数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_vs_processes.py"/>
        <source>seconds each task sleeps (a short task)</source>
        <extracomment>parameter TASK_SECONDS of scenario pool-vs-processes</extracomment>
        <translation>每个任务 sleep 的秒数（短任务）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/pool_vs_processes.py"/>
        <source>join each process before starting the next (off: start all, then join all)</source>
        <extracomment>parameter JOIN_EACH of scenario pool-vs-processes</extracomment>
        <translation>启动下一个进程前先 join 回收上一个（关闭则全部启动后再全部回收）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>Process attributes: name, pid, is_alive() and daemon</source>
        <extracomment>title of scenario process-attributes</extracomment>
        <translation>进程对象属性：name、pid、is_alive() 和 daemon</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>The child named Tarena is a daemon: the parent never joins it, and when the parent ends, multiprocessing terminates it (exit code -15, SIGTERM). Setting daemon after start() is refused with an AssertionError.</source>
        <extracomment>explanation of scenario process-attributes</extracomment>
        <translation>名为 Tarena 的子进程是守护进程（daemon=True）：父进程从不 join 它，父进程结束时 multiprocessing 会终止它（退出码 -15，SIGTERM）。daemon 要在 start() 之前设置，之后再设置会抛出 AssertionError。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>seconds the daemon child sleeps before each print of the time</source>
        <extracomment>parameter TICK of scenario process-attributes</extracomment>
        <translation>守护子进程每次打印时间前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>how many times the daemon child prints the time</source>
        <extracomment>parameter TICKS of scenario process-attributes</extracomment>
        <translation>守护子进程打印时间的次数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>seconds the second (non-daemon) child works</source>
        <extracomment>parameter P2_SLEEP of scenario process-attributes</extracomment>
        <translation>第二个（非守护）子进程工作的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_attributes.py"/>
        <source>seconds the parent lingers at the end, without joining the daemon</source>
        <extracomment>parameter LINGER of scenario process-attributes</extracomment>
        <translation>父进程最后停留的秒数（不 join 守护进程）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_basics.py"/>
        <source>Process basics: memory is not shared</source>
        <extracomment>title of scenario process-basics</extracomment>
        <translation>创建进程：父子进程不共享内存</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_basics.py"/>
        <source>The child changes the global a to 10000, yet after join() the parent still prints parent a= 1: each process works on its own copy of memory. The parent sleeps less, so its event comes first.</source>
        <extracomment>explanation of scenario process-basics</extracomment>
        <translation>子进程把全局变量 a 改成 10000，可是 join() 之后父进程打印的仍是 parent a= 1：子进程复制了父进程的空间，父子进程各自有独立的运行空间，互不影响。父进程 sleep 的时间更短，所以父进程事件先打印。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_basics.py"/>
        <source>seconds the child sleeps before printing</source>
        <extracomment>parameter CHILD_SLEEP of scenario process-basics</extracomment>
        <translation>子进程打印前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_basics.py"/>
        <source>seconds the parent sleeps before printing</source>
        <extracomment>parameter PARENT_SLEEP of scenario process-basics</extracomment>
        <translation>父进程打印前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_pool_executor.py"/>
        <source>ProcessPoolExecutor: the same pool, the concurrent.futures way</source>
        <extracomment>title of scenario process-pool-executor</extracomment>
        <translation>ProcessPoolExecutor：concurrent.futures 写法的进程池</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_pool_executor.py"/>
        <source>submit() returns a Future at once; as_completed() yields the futures in the order they finish, not the order they were submitted. executor.map() gives the results in item order, and leaving the with block shuts the executor down, waiting for its worker processes like close() + join().</source>
        <extracomment>explanation of scenario process-pool-executor</extracomment>
        <translation>submit() 立即返回一个 Future；as_completed() 按完成的先后给出 Future，而不是按提交的顺序。executor.map() 按元素顺序给出结果；离开 with 块时执行器关闭，并像 close() + join() 一样等待回收它的进程。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_pool_executor.py"/>
        <source>how many worker processes the executor has</source>
        <extracomment>parameter POOL_SIZE of scenario process-pool-executor</extracomment>
        <translation>执行器中的进程数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/process_pool_executor.py"/>
        <source>how many tasks are run each way</source>
        <extracomment>parameter TASKS of scenario process-pool-executor</extracomment>
        <translation>每种方式执行的任务数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_methods.py"/>
        <source>Queue methods: put, get, empty, full, qsize, close</source>
        <extracomment>title of scenario queue-methods</extracomment>
        <translation>消息队列的方法：put、get、empty、full、qsize、close</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_methods.py"/>
        <source>A Queue(MAXSIZE) holds at most MAXSIZE messages: full() turns True, and a put() that must not block (block=False) or may wait only TIMEOUT_SECONDS raises queue.Full; a get() on an empty queue raises queue.Empty the same way. A child takes one message out of the very same queue.</source>
        <extracomment>explanation of scenario queue-methods</extracomment>
        <translation>Queue(MAXSIZE) 最多存放 MAXSIZE 条消息：队列满时 full() 为 True，此时非阻塞（block=False）或只等待 TIMEOUT_SECONDS 秒的 put() 会抛出 queue.Full；同样，对空队列的 get() 会抛出 queue.Empty。子进程从同一个队列中取出一条消息。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_methods.py"/>
        <source>how many messages the queue holds at most</source>
        <extracomment>parameter MAXSIZE of scenario queue-methods</extracomment>
        <translation>队列最多存放的消息条数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_methods.py"/>
        <source>seconds the parent waits after the first put() before empty()</source>
        <extracomment>parameter SETTLE_SECONDS of scenario queue-methods</extracomment>
        <translation>父进程第一次 put() 之后、调用 empty() 之前等待的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_methods.py"/>
        <source>seconds put() and get() wait (timeout) before they give up</source>
        <extracomment>parameter TIMEOUT_SECONDS of scenario queue-methods</extracomment>
        <translation>put() 和 get() 放弃前等待的秒数（超时时间）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>Queue: a producer and a consumer</source>
        <extracomment>title of scenario queue-producer-consumer</extracomment>
        <translation>消息队列：一个生产者和一个消费者</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>fun1 puts (1, 2) into the queue every PUT_SECONDS and fun2 takes one out every GET_SECONDS and prints the sum; messages come out in the order they went in. With a small MAXSIZE and a slower consumer the queue fills up and the producer blocks in put() until fun2 makes room.</source>
        <extracomment>explanation of scenario queue-producer-consumer</extracomment>
        <translation>fun1 每隔 PUT_SECONDS 秒向队列存入 (1, 2)，fun2 每隔 GET_SECONDS 秒取出一条并打印它们的和；队列先进先出，取出顺序与存入顺序一致。MAXSIZE 较小而消费者较慢时，队列会满，生产者阻塞在 put() 中，直到 fun2 取走消息腾出位置。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>how many messages the producer puts</source>
        <extracomment>parameter ITEMS of scenario queue-producer-consumer</extracomment>
        <translation>生产者存入的消息条数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>seconds the producer waits before each put</source>
        <extracomment>parameter PUT_SECONDS of scenario queue-producer-consumer</extracomment>
        <translation>生产者每次 put 前等待的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>seconds the consumer waits before each get</source>
        <extracomment>parameter GET_SECONDS of scenario queue-producer-consumer</extracomment>
        <translation>消费者每次 get 前等待的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_producer_consumer.py"/>
        <source>queue size (0 = unbounded)</source>
        <extracomment>parameter MAXSIZE of scenario queue-producer-consumer</extracomment>
        <translation>队列大小（0 = 不限）</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>JoinableQueue: producers, consumers and task_done()</source>
        <extracomment>title of scenario queue-workers</extracomment>
        <translation>JoinableQueue：生产者、消费者与 task_done()</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>PRODUCERS producers put items and CONSUMERS consumers take them; each consumer calls task_done() for every item, so q.join() in the parent returns once every item put so far is done. Only then does the parent send one None per consumer, which tells it to stop, and join everybody.</source>
        <extracomment>explanation of scenario queue-workers</extracomment>
        <translation>PRODUCERS 个生产者存入数据，CONSUMERS 个消费者取出；消费者每处理完一条都调用 task_done()，所以父进程的 q.join() 要等已存入的数据全部处理完才返回。这之后父进程才给每个消费者发一个 None 通知它停止，并回收所有进程。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>how many producer processes</source>
        <extracomment>parameter PRODUCERS of scenario queue-workers</extracomment>
        <translation>生产者进程个数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>how many consumer processes</source>
        <extracomment>parameter CONSUMERS of scenario queue-workers</extracomment>
        <translation>消费者进程个数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>how many items each producer puts</source>
        <extracomment>parameter ITEMS of scenario queue-workers</extracomment>
        <translation>每个生产者存入的数据条数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>seconds a producer waits before each put</source>
        <extracomment>parameter PUT_SECONDS of scenario queue-workers</extracomment>
        <translation>生产者每次 put 前等待的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/queue_workers.py"/>
        <source>seconds a consumer works on each item</source>
        <extracomment>parameter WORK_SECONDS of scenario queue-workers</extracomment>
        <translation>消费者处理每条数据的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/several_processes.py"/>
        <source>Several processes: three children at once</source>
        <extracomment>title of scenario several-processes</extracomment>
        <translation>多个进程：同时运行三个子进程</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/several_processes.py"/>
        <source>Three children start together and run side by side; each prints when its own sleep ends, so the order follows the sleep times, not the start order. Each child prints its parent's pid and its own.</source>
        <extracomment>explanation of scenario several-processes</extracomment>
        <translation>三个子进程同时启动、并行运行；每个子进程在自己的 sleep 结束时打印，所以打印顺序由 sleep 的时间决定，而不是启动顺序。每个子进程都打印父进程的 PID 和自己的 PID。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/several_processes.py"/>
        <source>seconds th1 sleeps before printing</source>
        <extracomment>parameter TH1_SLEEP of scenario several-processes</extracomment>
        <translation>th1 打印前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/several_processes.py"/>
        <source>seconds th2 sleeps before printing</source>
        <extracomment>parameter TH2_SLEEP of scenario several-processes</extracomment>
        <translation>th2 打印前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/several_processes.py"/>
        <source>seconds th3 sleeps before printing</source>
        <extracomment>parameter TH3_SLEEP of scenario several-processes</extracomment>
        <translation>th3 打印前 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/start_methods.py"/>
        <source>Start methods: fork, spawn, forkserver and a raw os.fork()</source>
        <extracomment>title of scenario start-methods</extracomment>
        <translation>启动方式：fork、spawn、forkserver 和原始的 os.fork()</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/start_methods.py"/>
        <source>The same small job is started with each start method this system offers, one after the other, and the table shows what start() + join() cost on top of the job itself. spawn starts a fresh interpreter that re-imports this script, so it is the slowest; forkserver's first start also launches its server; a raw os.fork() is the cheapest but exists only on Unix.</source>
        <extracomment>explanation of scenario start-methods</extracomment>
        <translation>用本系统支持的每种启动方式依次启动同一个小任务，表格显示 start() + join() 在任务本身之外多花的时间。spawn 启动一个全新的解释器并重新导入本脚本，所以最慢；forkserver 第一次启动时还要先启动它的服务进程；原始的 os.fork() 开销最小，但只有 Unix 上才有。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/start_methods.py"/>
        <source>seconds the child's job sleeps</source>
        <extracomment>parameter JOB_SECONDS of scenario start-methods</extracomment>
        <translation>子进程任务 sleep 的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/start_methods.py"/>
        <source>how many times each start method is timed</source>
        <extracomment>parameter RUNS of scenario start-methods</extracomment>
        <translation>每种启动方式计时的次数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/zombie.py"/>
        <source>Zombie: a child that has exited but is not joined yet</source>
        <extracomment>title of scenario zombie</extracomment>
        <translation>僵尸进程：子进程已退出，但还没有被 join 回收</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/zombie.py"/>
        <source>The child ends quickly with exit code EXIT_CODE, but the busy parent calls join() only much later: all that time the child is dead but not reaped, a zombie. Its exit code is kept for the parent to collect.</source>
        <extracomment>explanation of scenario zombie</extracomment>
        <translation>子进程很快以退出码 EXIT_CODE 结束，但忙碌的父进程很久以后才调用 join()：这段时间里子进程已经退出却没有被回收，成了僵尸进程。它的退出码一直保留着，等父进程来回收。</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/zombie.py"/>
        <source>seconds the child works before it exits</source>
        <extracomment>parameter CHILD_SLEEP of scenario zombie</extracomment>
        <translation>子进程退出前工作的秒数</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/zombie.py"/>
        <source>seconds the parent stays busy before it looks at the child</source>
        <extracomment>parameter PARENT_BUSY of scenario zombie</extracomment>
        <translation>父进程忙多少秒之后才去 join 子进程</translation>
    </message>
    <message>
        <location filename="../../workers/scenarios/zombie.py"/>
        <source>exit code the child ends with, via sys.exit()</source>
        <extracomment>parameter EXIT_CODE of scenario zombie</extracomment>
        <translation>子进程通过 sys.exit() 结束时的退出码</translation>
    </message>
    <message>
        <source>Full / Empty / wrong end</source>
        <translation type="vanished">Full / Empty / 用错管道端</translation>
    </message>
    <message>
        <source>in os.waitpid(), waiting for pid {pid}{where}</source>
        <translation type="vanished">阻塞在 os.waitpid() 中，等待 pid {pid}{where}</translation>
    </message>
    <message>
        <source>{name} is not a UTF-8 text file.</source>
        <translation type="vanished">{name} 不是 UTF-8 文本文件。</translation>
    </message>
    <message>
        <source>Cannot open recording</source>
        <translation type="vanished">无法打开录制文件</translation>
    </message>
</context>
</TS>
