-- Quarto 1.7 drops a figure's fig-alt when it writes typst, so the PDF's figure would have no
-- alternative text. After Quarto's own filters have run, write such an image as typst's
-- image() with its alt text (typst puts it on the tagged PDF's Figure element). Other formats
-- are left alone: Quarto already writes fig-alt as the HTML alt attribute.
local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

function Image(el)
  local alt = el.attributes["fig-alt"]
  if FORMAT ~= "typst" or alt == nil or alt == "" then
    return nil
  end
  return pandoc.RawInline("typst", "#box(image(" .. typst_string(el.src) .. ", alt: " .. typst_string(alt) .. "))")
end
