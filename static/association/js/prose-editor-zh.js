// Chinese tooltips and menu labels for the rich-text editor (django-prose-editor).
//
// The package writes its toolbar titles in English without gettext ("bold", "insert
// link", "Heading 2"); its dialogs do go through gettext and are translated in
// locale/zh_Hans/LC_MESSAGES/djangojs.po. This extension is loaded by the editor's
// "configurable" preset as one of its extension modules (settings
// DJANGO_PROSE_EDITOR_EXTENSIONS, field extension "ChineseMenu"). Its addMenuItems runs
// after every other extension has defined its items (lowest priority), finds them
// through the documented menu.items() and gives each button its Chinese title and each
// dropdown option its Chinese text, before the menu bar is built.
//
// The table dialog's "Yes"/"No" choice is not translatable in the package, so the
// insertTableWithOptions command is redefined here with the same dialog in Chinese.

import { Extension, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const TITLES = {
  heading1: "一级标题",
  heading2: "二级标题",
  heading3: "三级标题",
  heading4: "四级标题",
  heading5: "五级标题",
  heading6: "六级标题",
  paragraph: "正文段落",
  bulletList: "项目符号列表",
  orderedList: "编号列表",
  blockquote: "引用",
  horizontalRule: "分隔线",
  figure: "插入图片",
  bold: "加粗",
  italic: "斜体",
  underline: "下划线",
  strike: "删除线",
  subscript: "下标",
  superscript: "上标",
  link: "插入链接",
  unlink: "取消链接",
  "textAlign:left": "左对齐",
  "textAlign:center": "居中",
  "textAlign:right": "右对齐",
  "textAlign:justify": "两端对齐",
  table: "插入表格",
  "table:addColumnAfter": "在右侧插入一列",
  "table:deleteColumn": "删除所在列",
  "table:addRowAfter": "在下方插入一行",
  "table:deleteRow": "删除所在行",
  "table:mergeCells": "合并单元格",
  "table:splitCell": "拆分单元格",
  "table:toggleHeaderCell": "设为或取消表头",
  "table:deleteTable": "删除表格",
  "history:undo": "撤销",
  "history:redo": "重做",
  html: "编辑 HTML 源码",
}

// Every group an item of the package is defined in.
const ALL_GROUPS = "blockType nodes headings lists marks link textAlign table history utility"

const YES = "是"
const NO = "否"

const tableDialog = updateAttrsDialog(
  {
    rows: { type: "number", title: gettext("Rows"), format: "number", default: "3", min: "1", max: "100" },
    cols: { type: "number", title: gettext("Columns"), format: "number", default: "3", min: "1", max: "100" },
    withHeaderRow: { title: gettext("Include header row"), enum: [YES, NO], default: NO },
  },
  { title: gettext("Table Properties"), submitText: gettext("Insert Table") },
)

export const ChineseMenu = Extension.create({
  name: "chineseMenu",
  priority: 1,

  // The editable area is named after its field's label (标题/正文…), for screen readers.
  onCreate() {
    const dom = this.editor.view.dom
    const label = dom.closest("[class*='field-']")?.querySelector("label")
    if (label && !dom.hasAttribute("aria-label")) {
      dom.setAttribute("aria-label", label.textContent.replace(/[:：]\s*$/, "").trim())
    }
    // The toolbar's icons are ligatures ("format_bold"): hidden from screen readers, so each
    // button is read by its Chinese name alone.
    requestAnimationFrame(() => {
      const bar = dom.closest(".prose-editor")?.querySelector(".prose-menubar") || document
      for (const button of bar.querySelectorAll(".prose-menubar__button.material-icons")) {
        for (const node of [...button.childNodes]) {
          if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
            const icon = document.createElement("span")
            icon.setAttribute("aria-hidden", "true")
            icon.textContent = node.textContent
            button.replaceChild(icon, node)
          }
        }
      }
    })
  },

  addMenuItems({ menu }) {
    for (const item of menu.items(ALL_GROUPS)) {
      const title = TITLES[item.name]
      if (!title) continue
      if (item.button) {
        item.button.title = title
        item.button.setAttribute("aria-label", title)
      }
      if (item.option) item.option.textContent = title
    }
  },

  addCommands() {
    return {
      insertTableWithOptions:
        () =>
        ({ editor }) => {
          tableDialog(editor, { rows: "3", cols: "3", withHeaderRow: NO }).then((attrs) => {
            if (attrs) {
              editor
                .chain()
                .focus()
                .insertTable({
                  rows: Number.parseInt(attrs.rows, 10) || 3,
                  cols: Number.parseInt(attrs.cols, 10) || 3,
                  withHeaderRow: attrs.withHeaderRow === YES,
                })
                .run()
            }
          })
          return true
        },
    }
  },
})
