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

function Table(tbl)
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
