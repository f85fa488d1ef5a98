-- Accessibility fixes for genuine Quarto (the fallback renderer does the same itself):
-- * typst: Quarto 1.7 drops a figure's fig-alt when it writes typst, so the PDF's figure would
--   have no alternative text. After Quarto's own filters have run, write such an image as
--   typst's image() with its alt text (typst puts it on the tagged PDF's Figure element).
-- * HTML: header cells of a table's head get scope="col", as the fallback writes them.
local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(el)
  local alt = el.attributes["fig-alt"]
  if FORMAT ~= "typst" or alt == nil or alt == "" then
    return nil
  end
  return pandoc.RawInline(
    "typst", "#box(image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. "))"
  )
end

-- * typst: a table of at most SHORT_TABLE_ROWS body rows is never split across pages (it moves
--   whole to the next page instead of leaving one or two rows under its caption); the
--   fallback does the same (analysis/render/pdf.py, SHORT_TABLE_ROWS there).
local SHORT_TABLE_ROWS = 6

function Table(tbl)
  if FORMAT == "typst" then
    local rows = 0
    for _, body in ipairs(tbl.bodies) do
      rows = rows + #body.body
    end
    if rows > SHORT_TABLE_ROWS then
      return nil
    end
    return {
      pandoc.RawBlock("typst", "#block(breakable: false)["), tbl, pandoc.RawBlock("typst", "]")
    }
  end
  if not FORMAT:match("html") then
    return nil
  end
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attributes.scope = "col"
    end
  end
  return tbl
end

-- * typst: a lead-in never ends a page alone. Quarto wraps an unnumbered heading in a block
--   of its own, which the sticky heading rule (pdf-style.typ) cannot reach, and a paragraph
--   that introduces a list or table ("Disbenefits:") is not a heading at all; each is put in a
--   sticky block, which typst keeps on the page of the block after it. The fallback renderer
--   does the same (analysis/render/pdf.py).
local function introduces(block)
  if block.t == "Header" then
    return block.classes:includes("unnumbered")
  end
  if block.t == "Div" then -- an unnumbered heading as Quarto's own filters leave it for typst
    local first = block.content[1]
    local raw = first and first.t == "Plain" and first.content[1]
    return raw and raw.t == "RawInline" and raw.text:match("^#heading%(") ~= nil or false
  end
  if block.t ~= "Para" and block.t ~= "Plain" then
    return false
  end
  local text = pandoc.utils.stringify(block):gsub("%s+$", "")
  return text:sub(-1) == ":"
end

function Blocks(blocks)
  if FORMAT ~= "typst" then
    return nil
  end
  local out = pandoc.List()
  for i, block in ipairs(blocks) do
    if i < #blocks and introduces(block) then
      out:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      out:insert(block)
    end
  end
  return out
end
